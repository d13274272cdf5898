import { describe, expect, it } from 'vitest';
import { ResponseHeaders } from './response-headers';

/** Raw headers as Node gives them (names and values, one after the other), with repeats and mixed case. */
const raw = [
  'Content-Type', 'application/json',
  'X-Total-Count', '120',
  'Link', '<https://api.invoiced.com/invoices?page=2>; rel="next"',
  'link', '<https://api.invoiced.com/invoices?page=6>; rel="last"',
  'Set-Cookie', 'a=1; Path=/',
  'set-cookie', 'b=2; Path=/',
  'X-Request-Id', '  req-7  ',
  'Accept-Ranges', 'bytes',
];

/** The runtime's own `Headers` (the Fetch standard's), as the oracle. */
function standard(pairs: readonly string[]): Headers {
  const headers = new Headers();
  for (let index = 0; index + 1 < pairs.length; index += 2) headers.append(pairs[index] as string, pairs[index + 1] as string);
  return headers;
}

describe('the default exchange\'s answer headers', () => {
  it('read as the Fetch standard\'s Headers do: any case, repeats joined, Set-Cookie apart, sorted when iterated', () => {
    const ours = new ResponseHeaders(raw);
    const theirs = standard(raw);
    for (const name of ['content-type', 'CONTENT-TYPE', 'link', 'Set-Cookie', 'x-request-id', 'x-missing']) {
      expect(ours.get(name)).toBe(theirs.get(name));
      expect(ours.has(name)).toBe(theirs.has(name));
    }
    expect(ours.getSetCookie()).toEqual(theirs.getSetCookie());
    expect([...ours]).toEqual([...theirs]);
    expect([...ours.keys()]).toEqual([...theirs.keys()]);
    expect([...ours.values()]).toEqual([...theirs.values()]);
    expect([...ours.entries()]).toEqual([...theirs.entries()]);
    const seen: string[] = [];
    ours.forEach((value, key, parent) => seen.push(`${key}=${value}:${parent === ours}`));
    expect(seen).toEqual([...theirs].map(([key, value]) => `${key}=${value}:true`));
    expect(Object.prototype.toString.call(ours)).toBe('[object Headers]');
  });

  it('changes as the Fetch standard\'s Headers do', () => {
    const ours = new ResponseHeaders(raw);
    const theirs = standard(raw);
    for (const headers of [ours, theirs]) {
      headers.set('X-Total-Count', '121');
      headers.delete('LINK');
      headers.append('Vary', 'Accept');
      headers.append('vary', 'Origin');
    }
    expect([...ours]).toEqual([...theirs]);
  });

  it('refuses a name or value the Fetch standard refuses', () => {
    expect(() => new ResponseHeaders(['bad name', 'x'])).toThrow(TypeError);
    expect(() => standard(['bad name', 'x'])).toThrow(TypeError);
    expect(() => new ResponseHeaders(['x-ok', 'a\nb'])).toThrow(TypeError);
    expect(() => standard(['x-ok', 'a\nb'])).toThrow(TypeError);
    expect(() => new ResponseHeaders().get('bad name')).toThrow(TypeError);
  });
});
