/**
 * Balances agree on both sides: every linked invoice (imported from NetSuite or written to it) that is not
 * voided owes on Invoiced what NetSuite says is unpaid (`amountRemaining`), and every linked credit note
 * has what its credit memo has left, whatever paid or credited them on either side: payments, credit memos
 * applied by themselves, credits applied inside payments. A difference is allowed only where a record the
 * engine reports as waiting (or refused) touches the invoice or the credit, or, for credit notes from
 * NetSuite, by what NetSuite applied to invoices outside the sync (which Invoiced never had). A credit memo
 * with the sync's external ID (`invd-cn-`) but linked to no credit note that applies itself to a linked
 * invoice must be reported with CREDIT_MEMO_NOT_LINKED, which explains that invoice's difference.
 */
import { DOUBLE_CREDIT_CODES, NAME_CODES, NOT_LINKED_CODE, PERSON_CODES, WAIT_CODES, type CheckInput } from './check-support';
import { creditMemoOf, refusalExplains, refusedPayments } from './payment-refusal';
import { minor, type InvoicedPaymentState } from './state';

/** Link fingerprints of records whose counterpart is gone (as in flows.ts). */
const GONE: ReadonlySet<string> = new Set(['voided', 'deleted_in_netsuite']);

/** The retry key of what made an Invoiced payment: a NetSuite payment, a NetSuite credit memo's applications, or itself. */
function invoicedPaymentKey(payment: InvoicedPaymentState): string {
  const reference = payment.reference ?? '';
  if (reference.startsWith('NS-PAY-')) return `netsuite_to_invoiced:payment:${reference.slice('NS-PAY-'.length)}`;
  if (reference.startsWith('NS-CM-')) return `netsuite_to_invoiced:creditNote:${reference.slice('NS-CM-'.length)}`;
  return `invoiced_to_netsuite:payment:${payment.id}`;
}

/** The retry key of what made a NetSuite transaction with external ID `externalId` (`invd-pay-<id>`...), or of the transaction itself. */
function netsuiteKey(entity: 'payment' | 'creditNote', id: string, externalId: string | undefined): string {
  const prefix = entity === 'payment' ? 'invd-pay-' : 'invd-cn-';
  if ((externalId ?? '').startsWith(prefix)) return `invoiced_to_netsuite:${entity}:${(externalId ?? '').slice(prefix.length)}`;
  return `netsuite_to_invoiced:${entity}:${id}`;
}

/** Checks both balances; see the module comment. */
export function checkBalances(input: CheckInput): void {
  const { now, fail, pending, justified, expected } = input;
  const explaining = new Set([...NAME_CODES, ...WAIT_CODES, ...PERSON_CODES]);
  const waits = (key: string) => justified.has(key) || explaining.has(pending.get(key)?.lastError.code ?? '');
  const refused = refusedPayments(input);
  const nsPayments = [...now.netsuite.payments.values()].filter((payment) => !payment.voided);
  const ivdPayments = [...now.invoiced.payments.values()].filter((payment) => !payment.voided);

  for (const link of input.invoiceLinks.links) {
    if (GONE.has(link.fingerprint ?? '')) continue;
    const ivd = now.invoiced.invoices.get(link.invoicedId);
    const ns = now.netsuite.invoices.get(link.netsuiteId);
    if (ivd === undefined || ns === undefined || ivd.voided || ivd.draft || ns.status === 'V') continue;
    const own = link.origin === 'netsuite' ? `netsuite_to_invoiced:invoice:${ns.id}` : `invoiced_to_netsuite:invoice:${ivd.id}`;
    const keys = [
      own,
      ...nsPayments.filter((payment) => payment.applications.some((application) => application.invoice === ns.id)).map((payment) => netsuiteKey('payment', payment.id, payment.externalId)),
      ...ivdPayments.filter((payment) => [...payment.applications, ...payment.credits].some((application) => application.invoice === ivd.id)).map(invoicedPaymentKey),
    ];
    const memos = [...now.netsuite.creditMemos.values()].filter((memo) => memo.status !== 'V' && memo.applications.some((application) => application.invoice === ns.id));
    // A credit memo with the sync's external ID (`invd-cn-`): the copy of an Invoiced credit note, which the
    // engine follows (what a person applied it to in NetSuite is applied on Invoiced by a payment of 0,
    // `NS-CM-<id>`), or one linked to no credit note of the sync (the generator's books have such memos: their
    // `invd-cn-<n>` refers to nothing), which is the record error CREDIT_MEMO_NOT_LINKED a person must act on.
    const foreign = memos.filter((memo) => (memo.externalId ?? '').startsWith('invd-cn-') && input.creditNoteLinks.byNetSuite.get(memo.id)?.origin !== 'invoiced');
    for (const memo of foreign) {
      const code = pending.get(`netsuite_to_invoiced:creditNote:${memo.id}`)?.lastError.code;
      if (code !== NOT_LINKED_CODE && !justified.has(`netsuite_to_invoiced:creditNote:${memo.id}`)) {
        fail(`NetSuite credit memo ${memo.id} (${memo.tranId}, external ID ${memo.externalId}) is linked to no Invoiced credit note but applied to NetSuite invoice ${ns.id}, which is on Invoiced as #${ivd.id}: it must be reported with ${NOT_LINKED_CODE}, but ${code === undefined ? 'no record error says so' : `its record error is ${code}`}`);
      }
    }
    // Both sides of such a memo: the Invoiced credit note it copies (its write) and the memo itself (what it applies).
    keys.push(...memos.filter((memo) => (memo.externalId ?? '').startsWith('invd-cn-')).map((memo) => `netsuite_to_invoiced:creditNote:${memo.id}`));
    keys.push(...memos.map((memo) => netsuiteKey('creditNote', memo.id, memo.externalId)));
    // A credit used twice: a credit note applied to it on Invoiced whose credit memo's record reports that (its void or its applications refused).
    const doubled = ivdPayments.flatMap((payment) => payment.credits.filter((credit) => credit.invoice === ivd.id)).some((credit) => DOUBLE_CREDIT_CODES.has(pending.get(`netsuite_to_invoiced:creditNote:${creditMemoOf(input, credit.credit) ?? ''}`)?.lastError.code ?? ''));
    if (doubled || keys.some(waits) || refusalExplains(input, refused, ivd.id, ns.id)) continue;
    if (minor(ivd.balance, ivd.currency) !== minor(ns.remaining, ivd.currency)) {
      const applied = memos.length === 0 ? '' : `; credit memos ${memos.map((memo) => memo.id).join(', ')} applied to it in NetSuite`;
      fail(
        `${link.origin === 'netsuite' ? `NetSuite invoice ${ns.id} (${ns.tranId}), imported as Invoiced invoice #${ivd.id}` : `Invoiced invoice #${ivd.id} (${ivd.number}), written as NetSuite invoice ${ns.id}`}, ` +
          `${ns.status === 'A' ? 'open' : 'paid in full'} in NetSuite with ${ns.remaining} unpaid, has a balance of ${ivd.balance} on Invoiced, and no record the sync reports as waiting explains it${applied}`,
      );
    }
  }

  for (const link of input.creditNoteLinks.links) {
    if (GONE.has(link.fingerprint ?? '')) continue;
    const ivd = now.invoiced.creditNotes.get(link.invoicedId);
    const ns = now.netsuite.creditMemos.get(link.netsuiteId);
    if (ivd === undefined || ns === undefined || ivd.voided || ivd.draft || ns.status === 'V') continue;
    const keys = [
      // (A credit note written from Invoiced: its write, and what a person applied its credit memo to in NetSuite.)
      ...(link.origin === 'netsuite' ? [`netsuite_to_invoiced:creditNote:${ns.id}`] : [`invoiced_to_netsuite:creditNote:${ivd.id}`, `netsuite_to_invoiced:creditNote:${ns.id}`]),
      ...nsPayments.filter((payment) => payment.credits.some((credit) => credit.credit === ns.id)).map((payment) => netsuiteKey('payment', payment.id, payment.externalId)),
      ...ivdPayments.filter((payment) => payment.credits.some((credit) => credit.credit === ivd.id)).map(invoicedPaymentKey),
    ];
    if (keys.some(waits) || [...refused].some((id) => now.invoiced.payments.get(id)?.credits.some((credit) => credit.credit === ivd.id) === true)) continue;
    const expectation = link.origin === 'netsuite' ? expected.netsuiteCreditMemos.get(ns.id) : undefined;
    const leftOut = expectation?.leftOut ?? 0;
    // Refunded in NetSuite: only noted on Invoiced (its API records no refund made outside it), so the credit
    // note keeps that credit, unless nothing is left of the credit memo, which closes the credit note.
    const refunded = expectation?.refunded ?? 0;
    const balance = minor(ivd.balance, ivd.currency);
    const remaining = minor(ns.remaining, ivd.currency);
    const what = `${link.origin === 'netsuite' ? `NetSuite credit memo ${ns.id} (${ns.tranId}), imported as Invoiced credit note #${ivd.id}` : `Invoiced credit note #${ivd.id} (${ivd.number}), written as NetSuite credit memo ${ns.id}`}`;
    if (minor(refunded, ivd.currency) > 0 && remaining === 0) {
      if (!ivd.closed) fail(`${what}, was refunded ${refunded} in NetSuite until nothing is left, but the credit note is not closed on Invoiced (balance ${ivd.balance}), and no record the sync reports as waiting explains it`);
      continue;
    }
    if (balance < remaining || balance > remaining + minor(leftOut + refunded, ivd.currency)) {
      fail(
        `${what}, ` +
          `has ${ns.remaining} left in NetSuite${leftOut > 0 ? ` (and applied ${leftOut} to invoices outside the sync)` : ''}${refunded > 0 ? ` (and ${refunded} refunded by NetSuite customer refunds)` : ''} but a balance of ${ivd.balance} on Invoiced, and no record the sync reports as waiting explains it`,
      );
    }
  }
}
