/**
 * Customer names. NetSuite customers come in blocks of {@link CUSTOMER_BLOCK}; the first slots of every
 * block are the edge cases below (so each appears once per 25 customers), the rest ordinary companies and
 * some persons. A {@link NameBook} remembers every name given out so that only the intended pairs collide.
 */
import type { Random } from '../random';

const CUSTOMER_BLOCK = 25;
const APOSTROPHES = ["O'Brien & Sons", "D'Angelo & Daughters", "O'Reilly & Partners", "L'Atelier & Co", "McKay's Bait & Tackle"];
/** Written with escapes so the NFC form does not depend on how this file is saved. */
const ACCENTED = ['Caf\u00e9 N\u00f6el', 'Cr\u00e8me Br\u00fbl\u00e9e Bakery', 'Se\u00f1or Ni\u00f1o Imports', 'M\u00fcller & S\u00f6hne', '\u00c5ngstr\u00f6m Optics'];
const CASE_PAIRS: readonly (readonly [string, string])[] = [
  ['ACME Corp', 'Acme Corp'],
  ['IBEX Systems', 'Ibex Systems'],
  ['NORTHWIND Traders', 'Northwind Traders'],
  ['ZENITH Labs', 'Zenith Labs'],
  ['DELTA Freight', 'Delta Freight'],
];
const DUPLICATES = ['Globex Industries', 'Vandelay Industries', 'Initrode LLC', 'Stark Supplies', 'Wonka Confections'];
const QUOTES = ['The "Best" Widgets Ltd', 'Widgets "R" Us', 'Big "Apple" Bagels', '"Quoted" Holdings'];
const DOUBLE_SPACES = ['Initech  Solutions', 'Blue  Sky Media', 'Hooli  Cloud Services'];
/** [leading, name, trailing]. */
const PADDED: readonly (readonly [string, string, string])[] = [
  ['  ', 'Umbrella Holdings', ' '],
  [' ', 'Soylent Foods', ''],
  ['', 'Cyberdyne Systems', '  '],
];
/** Characters that break naive SuiteQL or LIKE escaping: backslash, percent, underscore, semicolon, angle brackets. */
const HOSTILE = ['Back\\Slash Trading', '100% Pure Co.', 'Under_score Ventures', 'Semi;Colon <Angle> Ltd'];
const FIRST_NAMES = ['Zo\u00eb', 'Jos\u00e9', 'Ann-Marie', 'Liam', 'Priya', 'Mohammed', 'Sophie', 'Kenji', 'Olga', 'Se\u00e1n', 'Grace', 'Mateo', 'Aisha', 'Lars', 'Mei', 'Tom\u00e1s', 'Ingrid', 'Ravi', 'Chloe', 'Dmitri'];
const LAST_NAMES = ["O'Connor", 'Garc\u00eda', 'Nakamura', 'Smith', 'M\u00fcller', 'Okafor', 'van der Berg', 'Kowalski', 'Nguyen', 'Johansson', 'Rossi', 'Dubois', 'Haddad', 'Singh', 'Murphy', 'Kim', 'Silva', 'Novak', 'Brown', 'Fischer'];
const NAME_PREFIXES = ['Blue Ridge', 'Summit', 'Harbor', 'Pioneer', 'Granite', 'Silver Lake', 'Redwood', 'Cobalt', 'Maple', 'Evergreen', 'Northstar', 'Brightwater', 'Ironwood', 'Sunrise', 'Copperfield', 'Lakeside', 'Highland', 'Oakmont', 'Riverbend', 'Westfield'];
const NAME_NOUNS = ['Analytics', 'Logistics', 'Dental', 'Robotics', 'Consulting', 'Foods', 'Outfitters', 'Software', 'Capital', 'Builders', 'Health', 'Media', 'Energy', 'Designs', 'Labs', 'Supply', 'Textiles', 'Motors', 'Partners', 'Studios'];
const NAME_SUFFIXES = ['LLC', 'Inc.', 'Ltd', 'GmbH', 'Co.', 'Group', 'Holdings', 'PLC', 'S.A.', 'Pty Ltd'];

/** A name key for spotting accidental collisions: what a lenient matcher would compare. */
export function nameKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** A name as an ASCII slug for e-mail addresses (`Café Nöel` → `cafe-noel`); empty when nothing is left. */
export function slug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The i-th element of a pool, with a number appended once the pool has been used up. */
function fromPool(pool: readonly string[], round: number): string {
  const base = pool[round % pool.length]!;
  const lap = Math.floor(round / pool.length);
  return lap === 0 ? base : `${base} ${lap + 1}`;
}

/** Who a customer is: a company name, or a person's first and last name; `inactive` for the inactive slot. */
export interface CustomerName {
  companyName?: string;
  firstName?: string;
  lastName?: string;
  inactive?: boolean;
}

/** Picks names, remembering every key so that only the intended pairs collide. */
export class NameBook {
  private readonly taken = new Set<string>();
  private readonly laps = new Map<string, number>();

  constructor(private readonly random: Random) {}

  /** Registers a name that is meant to be what it is (an edge case); returns it. */
  claim(name: string): string {
    this.taken.add(nameKey(name));
    return name;
  }

  /** Whether a name, or one a lenient matcher would take for it, was given out already. */
  has(name: string): boolean {
    return this.taken.has(nameKey(name));
  }

  /** An ordinary company name no other customer has (even after normalization). */
  company(): string {
    const base = `${this.random.pick(NAME_PREFIXES)} ${this.random.pick(NAME_NOUNS)} ${this.random.pick(NAME_SUFFIXES)}`;
    let name = base;
    let lap = this.laps.get(base) ?? 1;
    while (this.has(name)) {
      lap += 1;
      name = `${base} ${lap}`;
    }
    this.laps.set(base, lap);
    return this.claim(name);
  }

  /** An ordinary person whose full name no other customer has, or undefined when the pools ran out. */
  person(): { firstName: string; lastName: string } | undefined {
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const firstName = this.random.pick(FIRST_NAMES);
      // double-barrelled surnames once simple ones keep colliding
      const lastName = attempt < 4 ? this.random.pick(LAST_NAMES) : `${this.random.pick(LAST_NAMES)}-${this.random.pick(LAST_NAMES)}`;
      if (!this.has(`${firstName} ${lastName}`)) {
        this.claim(`${firstName} ${lastName}`);
        return { firstName, lastName };
      }
    }
    return undefined;
  }
}

export /** The name of customer `index`: the block slot decides which edge case it is. */
function customerName(index: number, names: NameBook, random: Random): CustomerName {
  const slot = index % CUSTOMER_BLOCK;
  const round = Math.floor(index / CUSTOMER_BLOCK);
  const lapSuffix = (pool: readonly unknown[]) => {
    const lap = Math.floor(round / pool.length);
    return lap === 0 ? '' : ` ${lap + 1}`;
  };
  switch (slot) {
    case 0: // apostrophe and ampersand
      return { companyName: names.claim(fromPool(APOSTROPHES, round)) };
    case 1: // accents, NFC
      return { companyName: names.claim(fromPool(ACCENTED, round).normalize('NFC')) };
    case 2: // the same name decomposed (NFD): a different customer whose name only differs in Unicode form
      return { companyName: fromPool(ACCENTED, round).normalize('NFD') };
    case 3: // a pair differing only by case
    case 4: {
      const pair = CASE_PAIRS[round % CASE_PAIRS.length]!;
      const name = `${pair[slot - 3]!}${lapSuffix(CASE_PAIRS)}`;
      return { companyName: names.claim(name) };
    }
    case 5: // two customers with exactly the same name: the ambiguous match
    case 6:
      return { companyName: names.claim(fromPool(DUPLICATES, round)) };
    case 7:
      return { companyName: names.claim(fromPool(QUOTES, round)) };
    case 8:
      return { companyName: names.claim(fromPool(DOUBLE_SPACES, round)) };
    case 9: {
      const [lead, name, trail] = PADDED[round % PADDED.length]!;
      return { companyName: names.claim(`${lead}${name}${lapSuffix(PADDED)}${trail}`) };
    }
    case 10: {
      // a person: the first one has an accent and an apostrophe in their name
      if (round === 0 && !names.has(`${FIRST_NAMES[0]!} ${LAST_NAMES[0]!}`)) {
        names.claim(`${FIRST_NAMES[0]!} ${LAST_NAMES[0]!}`);
        return { firstName: FIRST_NAMES[0]!, lastName: LAST_NAMES[0]! };
      }
      return names.person() ?? { companyName: names.company() };
    }
    case 11:
      return { companyName: names.company(), inactive: true };
    case 12:
      return { companyName: names.claim(fromPool(HOSTILE, round)) };
    default: {
      const person = slot === 13 || random.chance(0.15) ? names.person() : undefined;
      return person ?? { companyName: names.company() };
    }
  }
}
