/**
 * Transaction statuses: the letter SuiteQL keeps in `transaction.status`, the compound value
 * `BUILTIN.CF(status)` gives (`CustInvc:A`), the REST `status` reference, and the display text of
 * `BUILTIN.DF(status)` (`Invoice : Open`). The letters are the REST API Browser 2026.1 `status.id` enums of
 * invoice, customerPayment, creditMemo and customerRefund: customer payments have no voided status.
 */

/** The display name of each transaction type, as `BUILTIN.DF(type)` shows it. */
export const TRANSACTION_TYPE_NAMES: Readonly<Record<string, string>> = { CustInvc: 'Invoice', CustPymt: 'Payment', CustCred: 'Credit Memo', CustRfnd: 'Customer Refund' };

/** The REST `status` of each compound status. */
export const TRANSACTION_STATUSES: Readonly<Record<string, { id: string; refName: string }>> = {
  'CustInvc:A': { id: 'A', refName: 'Open' },
  'CustInvc:B': { id: 'B', refName: 'Paid In Full' },
  'CustInvc:D': { id: 'D', refName: 'Pending Approval' },
  'CustInvc:E': { id: 'E', refName: 'Rejected' },
  'CustInvc:V': { id: 'V', refName: 'Voided' },
  'CustPymt:A': { id: 'A', refName: 'Unapproved Payment' },
  'CustPymt:R': { id: 'R', refName: 'Rejected' },
  'CustPymt:B': { id: 'B', refName: 'Not Deposited' },
  'CustPymt:C': { id: 'C', refName: 'Deposited' },
  'CustCred:A': { id: 'A', refName: 'Open' },
  'CustCred:B': { id: 'B', refName: 'Fully Applied' },
  'CustCred:V': { id: 'V', refName: 'Voided' },
  // The REST API Browser lists `R` and `V` for customerRefund without names: `Refunded` is assumed.
  'CustRfnd:R': { id: 'R', refName: 'Refunded' },
  'CustRfnd:V': { id: 'V', refName: 'Voided' },
};

/** `BUILTIN.DF(status)` of a compound status: `Invoice : Open`. */
export function statusDisplay(code: string): string | undefined {
  const status = TRANSACTION_STATUSES[code];
  const type = TRANSACTION_TYPE_NAMES[code.split(':')[0] ?? ''];
  return status === undefined || type === undefined ? undefined : `${type} : ${status.refName}`;
}
