/**
 * What the sync must not do with credits: create a credit note or credit memo it must not write (no echo:
 * nothing imported from NetSuite goes back as `invd-cn-`; no duplicate, no stray), change the world's own
 * credit memos and credit notes, or apply a credit beyond what it has.
 */
import type { CheckInput } from './check-support';
import { minor } from './state';

/** Nothing but the credit notes and credit memos the sync must write was created. */
export function checkNoStrayCredits(input: CheckInput): void {
  const { now, ledger, expected, fail, ivdCreditNotesByNetSuiteId, ivdPaymentsByReference, nsCreditMemosByExternalId } = input;
  const { baseline } = ledger;
  for (const [netsuiteId, notes] of ivdCreditNotesByNetSuiteId) {
    if (notes.length > 1) fail(`NetSuite credit memo ${netsuiteId} is on Invoiced ${notes.length} times (#${notes.map((note) => note.id).join(', #')})`);
  }
  for (const [reference, payments] of ivdPaymentsByReference) {
    const live = payments.filter((payment) => !payment.voided);
    if (reference.startsWith('NS-CM-') && live.length > 1) fail(`The applications of NetSuite credit memo ${reference.slice('NS-CM-'.length)} are on Invoiced ${live.length} times (payments #${live.map((payment) => payment.id).join(', #')})`);
  }
  for (const note of now.invoiced.creditNotes.values()) {
    if (baseline.invoiced.creditNotes.has(note.id)) continue;
    if (note.netsuiteId === undefined || !expected.netsuiteCreditMemos.has(note.netsuiteId)) {
      fail(`Invoiced credit note #${note.id} (${note.number}) was created though it is no NetSuite credit memo the sync imports (netsuite_id ${note.netsuiteId}): an echo or a stray`);
    }
  }
  for (const memo of now.netsuite.creditMemos.values()) {
    if (baseline.netsuite.creditMemos.has(memo.id)) continue;
    const source = memo.externalId?.startsWith('invd-cn-') === true ? memo.externalId.slice('invd-cn-'.length) : undefined;
    if (source === undefined || !(expected.invoicedCreditNotes.has(source) || expected.voidedOnInvoiced.has(`creditNote:${source}`))) {
      const imported = source === undefined ? undefined : now.invoiced.creditNotes.get(source)?.netsuiteId;
      fail(`NetSuite credit memo ${memo.id} (external ID ${memo.externalId}) was created though it is no Invoiced credit note the sync writes${imported === undefined ? '' : ` (#${source} was imported from NetSuite credit memo ${imported}: an echo)`}: an echo or a stray`);
    }
  }
  for (const [externalId, memos] of nsCreditMemosByExternalId) {
    if (memos.length > 1) fail(`${memos.length} NetSuite credit memos have the external ID ${externalId}`);
  }
}

/**
 * The world's own credit memos and credit notes are as the world left them (totals, lines, customer, void
 * status, what a credit memo applies itself); copies the sync keeps in step are checked against their
 * source by the flows instead.
 */
export function checkWorldCredits(input: CheckInput): void {
  const { now, ledger, expected, fail, nsCurrency } = input;
  const { baseline } = ledger;
  for (const before of baseline.netsuite.creditMemos.values()) {
    const after = now.netsuite.creditMemos.get(before.id);
    const copyOf = before.externalId?.startsWith('invd-cn-') === true ? before.externalId.slice('invd-cn-'.length) : undefined;
    if (after === undefined) {
      if (copyOf === undefined || !expected.voidedOnInvoiced.has(`creditNote:${copyOf}`)) fail(`NetSuite credit memo ${before.id} (${before.tranId}) of the books was deleted`);
      continue;
    }
    const currency = nsCurrency(before.currencyId);
    const applied = (memo: typeof before) => JSON.stringify(memo.applications.map((application) => `${application.invoice}:${minor(application.amount, currency)}`).sort());
    if (minor(after.total, currency) !== minor(before.total, currency) || JSON.stringify(after.lines.map((line) => minor(line, currency))) !== JSON.stringify(before.lines.map((line) => minor(line, currency))) || after.customer !== before.customer || applied(after) !== applied(before)) {
      fail(`NetSuite credit memo ${before.id} (${before.tranId}) of the books was changed: total ${before.total} -> ${after.total}, lines ${before.lines.join('/')} -> ${after.lines.join('/')}, customer ${before.customer} -> ${after.customer}, applied ${applied(before)} -> ${applied(after)}`);
    } else if ((after.status === 'V') !== (before.status === 'V')) {
      fail(`NetSuite credit memo ${before.id} (${before.tranId}) of the books was ${after.status === 'V' ? 'voided' : 'unvoided'} by the sync`);
    }
  }
  for (const before of baseline.invoiced.creditNotes.values()) {
    const after = now.invoiced.creditNotes.get(before.id);
    if (after === undefined) fail(`Invoiced credit note #${before.id} (${before.number}) of the books was deleted`);
    else if (before.netsuiteId !== undefined) continue;
    else if (minor(after.total, before.currency) !== minor(before.total, before.currency) || after.voided !== before.voided || after.draft !== before.draft || after.customer !== before.customer) {
      fail(`Invoiced credit note #${before.id} (${before.number}) of the books was changed: total ${before.total} -> ${after.total}${after.voided ? ', voided' : ''}${after.draft ? ', a draft' : ''}`);
    }
  }
}

/** No credit memo or credit note applied beyond its total, on either side. */
export function checkCreditApplications(input: CheckInput): void {
  const { now, fail, nsCurrency } = input;
  const noteUsed = new Map<string, number>();
  for (const payment of now.invoiced.payments.values()) if (!payment.voided) for (const credit of payment.credits) noteUsed.set(credit.credit, (noteUsed.get(credit.credit) ?? 0) + credit.amount);
  for (const note of now.invoiced.creditNotes.values()) {
    const used = noteUsed.get(note.id) ?? 0;
    if (minor(note.balance, note.currency) < 0 || (!note.voided && minor(used, note.currency) > minor(note.total, note.currency))) {
      fail(`Invoiced credit note #${note.id} (${note.number}) is over-applied: total ${note.total}, applied ${used}, balance ${note.balance}`);
    }
  }
  const memoUsed = new Map<string, number>();
  for (const payment of now.netsuite.payments.values()) if (!payment.voided) for (const credit of payment.credits) memoUsed.set(credit.credit, (memoUsed.get(credit.credit) ?? 0) + credit.amount);
  for (const memo of now.netsuite.creditMemos.values()) {
    const currency = nsCurrency(memo.currencyId);
    const used = (memoUsed.get(memo.id) ?? 0) + memo.applications.reduce((sum, application) => sum + application.amount, 0);
    if (minor(memo.remaining, currency) < 0 || (memo.status !== 'V' && minor(used, currency) > minor(memo.total, currency))) {
      fail(`NetSuite credit memo ${memo.id} (${memo.tranId}) is over-applied: total ${memo.total}, applied ${used}, remaining ${memo.remaining}`);
    }
  }
}
