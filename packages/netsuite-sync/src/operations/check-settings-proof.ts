/**
 * The connection check's proof of the sync settings against the NetSuite account, with one SuiteQL read
 * each: the items invoices are written with exist, are active and fit their line; every currency the
 * sync will meet maps to an active NetSuite currency; the subsidiaries and the deposit accounts exist and
 * are active; the field mappings fit each record type's metadata catalog (`check-settings-fields.ts`);
 * NetSuite's time zone is known. Write permissions cannot be proved without writing: said,
 * not checked. Each setting that would make a sync fail is a problem with its code and what to do.
 */
import { readAccountCurrencies, type AccountCurrencies } from '../engine/currencies';
import { learnedOffsetMinutes, offsetText } from '../engine/netsuite-clock';
import { NETSUITE_NOW, valueText } from '../engine/netsuite-queries';
import type { SyncSettings } from '../engine/settings';
import type { NetSuiteClient } from '../netsuite/client';
import { sql } from '../netsuite/sql';
import { describeGenericError } from './check-errors';
import { permissionProblem, refusedRead } from './check-probes';
import { checkCurrencies } from './check-settings-currencies';
import { proveFieldMappings } from './check-settings-fields';
import type { ConnectionCheckItem, ConnectionProblem, InvoicedSample, ProblemFacts, ProofOutcome, SettingsVerdict } from './check-types';

type Signal = AbortSignal | undefined;
type Row = Record<string, unknown>;

/** NetSuite `itemtype`s each kind of line can carry. */
const LINE_ITEM_TYPES = new Set(['Service', 'NonInvtPart', 'InvtPart', 'OthCharge', 'Kit', 'Assembly']);
const TAX_ITEM_TYPES = new Set(['TaxItem', 'TaxGroup', 'OthCharge']);
const DISCOUNT_ITEM_TYPES = new Set(['Discount']);
/** NetSuite `accttype`s a customer payment can be deposited to. */
const DEPOSIT_ACCOUNT_TYPES = new Set(['Bank', 'OthCurrAsset']);

const numeric = (id: string) => /^\d{1,18}$/.test(id);

async function rows(netsuite: NetSuiteClient, query: ReturnType<typeof sql>, signal: Signal): Promise<Row[]> {
  const found: Row[] = [];
  for await (const row of netsuite.suiteqlAll(query, signal === undefined ? {} : { signal })) found.push(row);
  return found;
}

/** One proof's result; `unproved` when its read failed, so the setting was neither proved nor refuted. */
interface Proved {
  item: ConnectionCheckItem;
  problems: ConnectionProblem[];
  unproved: boolean;
}

async function prove(name: string, permission: string, run: () => Promise<ProofOutcome & { readonly unproved?: boolean }>): Promise<Proved> {
  let outcome: ProofOutcome;
  let unproved: boolean;
  try {
    const result = await run();
    outcome = result;
    unproved = result.unproved === true;
  } catch (error) {
    const facts = refusedRead(error) ? permissionProblem(error, `read ${name} with SuiteQL`, permission) : describeGenericError(error);
    outcome = { detail: facts.message, problems: [facts] };
    unproved = true;
  }
  const problems = outcome.problems.map((facts) => ({ side: 'netsuite' as const, check: name, ...facts }));
  return { item: { side: 'netsuite', name, ok: problems.length === 0, detail: problems.length === 0 ? outcome.detail : problems.map((problem) => problem.message).join(' ') }, problems, unproved };
}

/** The settings' items, each with the line it is for. */
function configuredItems(settings: SyncSettings): { id: string; setting: string; kinds: ReadonlySet<string>; kind: string }[] {
  const { items } = settings;
  const found: { id: string; setting: string; kinds: ReadonlySet<string>; kind: string }[] = [];
  if (items.defaultItem !== undefined) found.push({ id: items.defaultItem, setting: 'items.defaultItem', kinds: LINE_ITEM_TYPES, kind: 'an item line' });
  for (const [key, id] of Object.entries(items.catalogItems ?? {})) found.push({ id, setting: `items.catalogItems.${key}`, kinds: LINE_ITEM_TYPES, kind: 'an item line' });
  if (items.discountItem !== undefined) found.push({ id: items.discountItem, setting: 'items.discountItem', kinds: DISCOUNT_ITEM_TYPES, kind: 'a discount line' });
  if (items.taxItem !== undefined) found.push({ id: items.taxItem, setting: 'items.taxItem', kinds: TAX_ITEM_TYPES, kind: 'a tax line' });
  for (const [key, id] of Object.entries(items.taxItems ?? {})) found.push({ id, setting: `items.taxItems.${key}`, kinds: TAX_ITEM_TYPES, kind: 'a tax line' });
  return found;
}

async function proveItems(netsuite: NetSuiteClient, settings: SyncSettings, sample: InvoicedSample, signal: Signal): Promise<ProofOutcome> {
  const problems: ProblemFacts[] = [];
  const { items } = settings;
  if (items.defaultItem === undefined) {
    problems.push({
      code: 'DEFAULT_ITEM_REQUIRED',
      message: 'settings.items.defaultItem is not set: an invoice line whose Invoiced catalog item has no item in items.catalogItems cannot be written to NetSuite.',
      resolution:
        'Set items.defaultItem to the internal ID of a NetSuite service or non-inventory item for sale (Lists > Accounting > Items; the ID column, or the id= of its URL). The account cannot tell which item to use.',
    });
  }
  if (items.taxItem === undefined && Object.keys(items.taxItems ?? {}).length === 0 && sample.taxed > 0) {
    problems.push({
      code: 'TAX_ITEM_REQUIRED',
      message: `settings.items.taxItem is not set, and ${sample.taxed} of the ${sample.records.invoices} newest Invoiced invoices have taxes: they cannot be written to NetSuite.`,
      resolution: 'Set items.taxItem (or items.taxItems by Invoiced tax rate) to the internal ID of the NetSuite item of tax lines.',
    });
  }
  if (items.discountItem === undefined && sample.discounted > 0) {
    problems.push({
      code: 'DISCOUNT_ITEM_REQUIRED',
      message: `settings.items.discountItem is not set, and ${sample.discounted} of the ${sample.records.invoices} newest Invoiced invoices have discounts: they cannot be written to NetSuite.`,
      resolution: 'Set items.discountItem to the internal ID of a NetSuite discount item (Lists > Accounting > Items, type Discount).',
    });
  }
  const wanted = configuredItems(settings);
  const ids = [...new Set(wanted.map((entry) => entry.id).filter(numeric))];
  const found = new Map((ids.length === 0 ? [] : await rows(netsuite, sql`SELECT id, itemid, itemtype, isinactive FROM item WHERE id IN ${ids}`, signal)).map((row) => [valueText(row.id), row]));
  for (const entry of wanted) {
    const row = found.get(entry.id);
    if (row === undefined) {
      problems.push({
        code: 'ITEM_NOT_FOUND',
        message: `${entry.setting} is ${entry.id}, but NetSuite has no item with that internal ID.`,
        resolution: `Set ${entry.setting} to the internal ID of an existing item (Lists > Accounting > Items; the ID column, or the id= of its URL).`,
      });
    } else if (valueText(row.isinactive) === 'T') {
      problems.push({
        code: 'ITEM_INACTIVE',
        message: `${entry.setting} is item ${entry.id} (${valueText(row.itemid)}), which is inactive in NetSuite: no invoice can use it.`,
        resolution: `Clear the item's Inactive box in NetSuite (Lists > Accounting > Items), or set ${entry.setting} to an active item.`,
      });
    } else if (!entry.kinds.has(valueText(row.itemtype))) {
      problems.push({
        code: 'ITEM_NOT_SALEABLE',
        message: `${entry.setting} is item ${entry.id} (${valueText(row.itemid)}) of type ${valueText(row.itemtype)}, which cannot be ${entry.kind} of an invoice (types: ${[...entry.kinds].join(', ')}).`,
        resolution: `Set ${entry.setting} to an item of one of these types (Lists > Accounting > Items shows each item's type).`,
      });
    }
  }
  const detail = wanted.length === 0 ? 'No items are set.' : `${wanted.length} item setting${wanted.length === 1 ? '' : 's'} name active items of the right type.`;
  return { detail, problems };
}

/** The subsidiaries `settings.subsidiary` names: one ID, or each rule's, with the setting that names it. */
function subsidiaryEntries(setting: SyncSettings['subsidiary']): { id: string; setting: string }[] {
  if (setting === undefined) return [];
  return typeof setting === 'string' ? [{ id: setting, setting: 'settings.subsidiary' }] : setting.map((rule, index) => ({ id: rule.subsidiary, setting: `settings.subsidiary[${index}]` }));
}

async function proveSubsidiary(netsuite: NetSuiteClient, settings: SyncSettings, signal: Signal): Promise<ProofOutcome> {
  const entries = subsidiaryEntries(settings.subsidiary);
  const ids = [...new Set(entries.map((entry) => entry.id).filter(numeric))];
  const found = new Map((ids.length === 0 ? [] : await rows(netsuite, sql`SELECT id, name, isinactive FROM subsidiary WHERE id IN ${ids}`, signal)).map((row) => [valueText(row.id), row]));
  const problems: ProblemFacts[] = [];
  const where = 'Setup > Company > Subsidiaries';
  for (const { id, setting } of entries) {
    const row = found.get(id);
    if (row === undefined) {
      problems.push({ code: 'SUBSIDIARY_NOT_FOUND', message: `${setting} is ${id}, but NetSuite has no subsidiary with that internal ID.`, resolution: `Set ${setting} to the internal ID of a subsidiary (${where}), or leave subsidiary out on an account without subsidiaries.` });
    } else if (valueText(row.isinactive) === 'T') {
      problems.push({ code: 'SUBSIDIARY_INACTIVE', message: `${setting} is ${id} (${valueText(row.name)}), which is inactive: no customer can be created in it.`, resolution: `Set ${setting} to an active subsidiary, or make this one active again (${where}).` });
    }
  }
  const names = [...new Set(entries.map(({ id }) => `${id} (${valueText(found.get(id)?.name)})`))];
  return { detail: `Customers are created in subsidiar${names.length === 1 ? 'y' : 'ies'} ${names.join(', ')}.`, problems };
}

async function provePaymentAccounts(netsuite: NetSuiteClient, settings: SyncSettings, signal: Signal): Promise<ProofOutcome> {
  const accounts = [...new Set(settings.paymentAccounts.map((rule) => rule.account).filter((account) => account !== 'undeposited'))];
  if (accounts.length === 0) return { detail: 'Payments are deposited to Undeposited Funds.', problems: [] };
  const ids = accounts.filter(numeric);
  const found = new Map((ids.length === 0 ? [] : await rows(netsuite, sql`SELECT id, acctname, accttype, isinactive FROM account WHERE id IN ${ids}`, signal)).map((row) => [valueText(row.id), row]));
  const problems: ProblemFacts[] = [];
  for (const id of accounts) {
    const row = found.get(id);
    const where = 'Lists > Accounting > Accounts';
    if (row === undefined) {
      problems.push({ code: 'PAYMENT_ACCOUNT_NOT_FOUND', message: `settings.paymentAccounts names account ${id}, but NetSuite has no account with that internal ID.`, resolution: `Name an existing bank account's internal ID (${where}), or 'undeposited'.` });
    } else if (valueText(row.isinactive) === 'T') {
      problems.push({ code: 'PAYMENT_ACCOUNT_INACTIVE', message: `settings.paymentAccounts names account ${id} (${valueText(row.acctname)}), which is inactive.`, resolution: `Make the account active again (${where}), or name another one.` });
    } else if (!DEPOSIT_ACCOUNT_TYPES.has(valueText(row.accttype))) {
      problems.push({
        code: 'PAYMENT_ACCOUNT_UNSUITABLE',
        message: `settings.paymentAccounts names account ${id} (${valueText(row.acctname)}) of type ${valueText(row.accttype)}: a customer payment is deposited to a bank or other current asset account.`,
        resolution: `Name a bank account (${where}), or 'undeposited'.`,
      });
    }
  }
  return { detail: `${accounts.length} deposit account${accounts.length === 1 ? '' : 's'} exist and are active.`, problems };
}

async function proveRefundAccount(netsuite: NetSuiteClient, id: string, signal: Signal): Promise<ProofOutcome> {
  const [row] = numeric(id) ? await rows(netsuite, sql`SELECT id, acctname, accttype, isinactive FROM account WHERE id = ${id}`, signal) : [];
  const where = 'Lists > Accounting > Accounts';
  const problem = (code: string, message: string, resolution: string): ProofOutcome => ({ detail: '', problems: [{ code, message, resolution }] });
  if (row === undefined) return problem('REFUND_ACCOUNT_NOT_FOUND', `settings.refundAccount is ${id}, but NetSuite has no account with that internal ID.`, `Name the bank account refunds are paid from (${where}).`);
  if (valueText(row.isinactive) === 'T') return problem('REFUND_ACCOUNT_INACTIVE', `settings.refundAccount is ${id} (${valueText(row.acctname)}), which is inactive.`, `Make the account active again (${where}), or name another one.`);
  if (valueText(row.accttype) !== 'Bank') {
    return problem('REFUND_ACCOUNT_UNSUITABLE', `settings.refundAccount is ${id} (${valueText(row.acctname)}) of type ${valueText(row.accttype)}: a customer refund is paid from a bank account.`, `Name a bank account (${where}).`);
  }
  return { detail: `Refunds are paid from account ${id} (${valueText(row.acctname)}).`, problems: [] };
}

async function proveTimeZone(netsuite: NetSuiteClient, settings: SyncSettings, signal: Signal): Promise<ProofOutcome> {
  if (settings.netsuiteTimeZone !== undefined) return { detail: `settings.netsuiteTimeZone is ${settings.netsuiteTimeZone}.`, problems: [] };
  const before = Date.now();
  const page = await netsuite.suiteql(NETSUITE_NOW, { limit: 1, ...(signal === undefined ? {} : { signal }) });
  const wall = valueText(page.items[0]?.now);
  const offset = learnedOffsetMinutes(wall, new Date((before + Date.now()) / 2));
  if (offset === undefined) {
    return {
      detail: '',
      problems: [{
        code: 'NETSUITE_TIME_ZONE_UNKNOWN',
        message: `NetSuite answered its current time as "${wall.slice(0, 40)}", which gives no offset from UTC-12 to UTC+14.`,
        resolution: "Check this machine's clock, or set settings.netsuiteTimeZone to the IANA name of the integration user's time zone (Home > Set Preferences in NetSuite).",
      }],
    };
  }
  return { detail: `NetSuite's clock is at UTC${offsetText(offset)} now; set settings.netsuiteTimeZone to the user's IANA zone for dates exact across daylight saving time changes.`, problems: [] };
}

/** Proves the settings against the account: one check item per setting group. */
export async function proveSettings(
  netsuite: NetSuiteClient,
  settings: SyncSettings,
  sample: InvoicedSample,
  signal: Signal,
): Promise<{ checks: ConnectionCheckItem[]; problems: ConnectionProblem[]; verdict: SettingsVerdict }> {
  const writesInvoices = settings.phases.writeInvoicedInvoices;
  const writesPayments = settings.phases.writeInvoicedPayments;
  const skipped = (name: string, detail: string): Promise<Proved> => Promise.resolve({ item: { side: 'netsuite', name, ok: true, detail }, problems: [], unproved: false });
  let table: Promise<AccountCurrencies> | undefined;
  const currencies = () => (table ??= readAccountCurrencies(netsuite, signal));
  const results = await Promise.all([
    writesInvoices
      ? prove('items', 'Lists > Items (level View)', () => proveItems(netsuite, settings, sample, signal))
      : skipped('items', 'Not checked: settings.phases.writeInvoicedInvoices is off, so no invoice is written to NetSuite.'),
    writesInvoices || writesPayments
      ? prove('currencies', 'Lists > Currency (level View)', () => checkCurrencies(netsuite, settings, sample, currencies, signal))
      : skipped('currencies', 'Not checked: nothing is written to NetSuite.'),
    writesInvoices && settings.subsidiary !== undefined
      ? prove('subsidiary', 'Lists > Subsidiaries (level View)', () => proveSubsidiary(netsuite, settings, signal))
      : skipped('subsidiary', settings.subsidiary === undefined ? 'Not set: customers are created in the subsidiary NetSuite gives them.' : 'Not checked: no customer is created in NetSuite.'),
    writesPayments
      ? prove('payment accounts', 'Lists > Accounts (level View)', () => provePaymentAccounts(netsuite, settings, signal))
      : skipped('payment accounts', 'Not checked: settings.phases.writeInvoicedPayments is off.'),
    settings.phases.writeInvoicedRefunds && settings.refundAccount !== undefined
      ? prove('refund account', 'Lists > Accounts (level View)', () => proveRefundAccount(netsuite, settings.refundAccount ?? '', signal))
      : skipped(
          'refund account',
          settings.phases.writeInvoicedRefunds
            ? 'Not set: refunds of payments processed through Invoiced are each the record error REFUND_ACCOUNT_REQUIRED until settings.refundAccount names the bank account they are paid from.'
            : 'Not checked: settings.phases.writeInvoicedRefunds is off.',
        ),
    prove('field mappings', 'Setup > REST Web Services (level Full)', () => proveFieldMappings(netsuite, settings, signal)),
    prove('time zone', 'Reports > SuiteAnalytics Workbook', () => proveTimeZone(netsuite, settings, signal)),
  ]);
  const writes = [writesInvoices ? 'customers and invoices' : '', writesPayments ? 'customer payments' : ''].filter(Boolean).join(' and ');
  const checks = results.map((result) => result.item);
  checks.push({
    side: 'netsuite',
    name: 'write permissions',
    ok: true,
    detail:
      writes === ''
        ? 'Nothing is written to NetSuite.'
        : `Not provable without writing: NetSuite offers no read that tells whether the role may create ${writes}. The first sync's writes prove it; a refusal fails those records with INSUFFICIENT_PERMISSION and says which permission to add.`,
  });
  const refuted = results.some((result) => !result.unproved && result.problems.length > 0);
  const verdict: SettingsVerdict = refuted ? 'refuted' : results.some((result) => result.unproved) ? 'unproved' : 'proved';
  return { checks, problems: results.flatMap((result) => result.problems), verdict };
}
