/**
 * Deletions on Invoiced (with `FAULT_WEBHOOKS` on): a person deletes an invoice or a credit note made on
 * Invoiced, through `sandbox.invoiced.state.delete`, which does what `DELETE /invoices/{id}` and
 * `DELETE /credit_notes/{id}` do: Invoiced refuses to delete what it would refuse to void (a document with
 * payments or credits applied), so only documents with nothing applied are drawn, and a refusal is
 * recorded as such. A deleted document leaves nothing in the lists the sync reads, only its `*.deleted`
 * event (webhook or events list): its NetSuite copy must be deleted, or a record error must say why not.
 */
import type { Touched } from './ledger';
import { choose, ownInvoicedInvoices, type Change, type Ctx } from './mutate-support';
import { minor } from './state';

/** The change of a deletion mutation (`null` when no document fits). */
export function deletionChange(ctx: Ctx): Change {
  const invoice = ctx.mutation.kind === 'ivd_invoice_delete';
  const candidates = invoice
    ? ownInvoicedInvoices(ctx).filter((document) => minor(document.balance, document.currency) === minor(document.total, document.currency))
    : [...ctx.now.invoiced.creditNotes.values()].filter(
        (note) => note.netsuiteId === undefined && !note.draft && !note.voided && !note.closed && minor(note.balance, note.currency) === minor(note.total, note.currency),
      );
  const document = choose(ctx, candidates, `invoiced_to_netsuite:${invoice ? 'invoice' : 'creditNote'}`);
  if (document === undefined) return null;
  const touched: Touched[] = [['invoiced', invoice ? 'invoices' : 'creditNotes', document.id]];
  return {
    detail: `Invoiced ${invoice ? 'invoice' : 'credit note'} #${document.id} (${document.number}) deleted`,
    touched,
    act: () => {
      ctx.sandbox.invoiced.state.delete(invoice ? 'invoices' : 'credit_notes', Number(document.id));
      ctx.ledger.deletedOnInvoiced.add(`${invoice ? 'invoice' : 'creditNote'}:${document.id}`);
    },
  };
}
