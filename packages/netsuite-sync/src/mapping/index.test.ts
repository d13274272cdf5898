import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as mapping from './index';

const here = fileURLToPath(new URL('.', import.meta.url));
const sources = readdirSync(here).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));

describe('the mapping layer', () => {
  it('imports nothing else of the SDK but its error base class (its own files, ../errors, node: built-ins and zod)', () => {
    for (const name of sources) {
      const imports = [...readFileSync(`${here}${name}`, 'utf8').matchAll(/^(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((match) => match[1] ?? '');
      for (const specifier of imports) expect(specifier, `${name} imports ${specifier}`).toMatch(/^(?:\.\/[\w-]+|\.\.\/errors|node:\w+|zod)$/);
    }
  });

  it('stays pure: no clock, no randomness, no network, no file system in its code', () => {
    for (const name of sources) {
      const code = readFileSync(`${here}${name}`, 'utf8');
      expect(code, name).not.toMatch(/Date\.now\(|new Date\(\)|Math\.random|fetch\(|node:fs|process\.env/);
    }
  });

  it('exports every public function from the index', () => {
    const names = Object.keys(mapping).sort();
    for (const expected of [
      'MappingError',
      'toMinor', 'fromMinor', 'minorToNumber', 'sumMinor', 'compareMoney', 'currencyExponent',
      'normalizeName', 'customerDisplayName', 'matchCustomerByName', 'indexCustomersByName',
      'netsuiteCustomerToInvoiced', 'invoicedCustomerToNetSuite',
      'netsuiteInvoiceToInvoiced', 'invoicedInvoiceToNetSuite', 'netsuiteInvoiceStatus',
      'netsuitePaymentToInvoiced', 'invoicedPaymentToNetSuite', 'isNetSuitePaymentVoided',
      'resolvePaymentAccount', 'paymentAccountRulesSchema',
      'isEligibleInvoicedInvoice', 'shouldWriteInvoiceToNetSuite', 'shouldWritePaymentToNetSuite', 'overlapCursor',
      'fingerprint', 'canonicalJson',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it('keeps each file under 300 lines', () => {
    for (const name of readdirSync(here).filter((file) => file.endsWith('.ts'))) {
      expect(readFileSync(`${here}${name}`, 'utf8').split('\n').length, name).toBeLessThanOrEqual(300);
    }
  });
});
