/**
 * The event envelope and the record an event names (Invoiced/api `source/includes/_events.md`; the objects
 * of view and transaction events from chriscouch/invoiced-mcp, see src/webhooks/event.ts).
 */
import { describe, expect, it } from 'vitest';
import { InvoicedWebhookEventError, invoicedEventTarget, parseInvoicedWebhookEvent } from '../src/webhooks';

const target = (type: string, object: Record<string, unknown>) => invoicedEventTarget({ type, data: { object } });

describe('invoicedEventTarget', () => {
  it('maps each kind the sync keeps to its record', () => {
    expect(target('customer.created', { id: 15455 })).toEqual({ entity: 'customer', sourceId: '15455' });
    expect(target('invoice.updated', { id: 196539, object: 'invoice' })).toEqual({ entity: 'invoice', sourceId: '196539' });
    expect(target('credit_note.deleted', { id: '77' })).toEqual({ entity: 'creditNote', sourceId: '77' });
    expect(target('payment.created', { id: 42, object: 'payment' })).toEqual({ entity: 'payment', sourceId: '42' });
    expect(target('refund.created', { id: 9 })).toEqual({ entity: 'refund', sourceId: '9' });
  });

  it('maps a transaction event to the payment it belongs to, or to nothing', () => {
    expect(target('transaction.created', { id: 212047, object: 'transaction', payment: 5001 })).toEqual({ entity: 'payment', sourceId: '5001' });
    expect(target('transaction.updated', { id: 212047, payment: '5001' })).toEqual({ entity: 'payment', sourceId: '5001' });
    expect(target('transaction.deleted', { id: 212047, payment: { id: 5001, object: 'payment' } })).toEqual({ entity: 'payment', sourceId: '5001' });
    expect(target('transaction.created', { id: 212047, invoice: 196539, payment: null })).toBeNull();
    expect(target('transaction.created', { id: 212047 })).toBeNull();
  });

  it('ignores events whose object is not the record their type names (a view, a comment)', () => {
    expect(target('invoice.viewed', { id: 31, object: 'document_view', document_id: 196539 })).toBeNull();
    expect(target('invoice.viewed', { id: 31 })).toBeNull();
    expect(target('credit_note.viewed', { id: 31 })).toBeNull();
    expect(target('invoice.commented', { id: 8 })).toBeNull();
    expect(target('invoice.paid', { id: 196539, object: 'invoice' })).toEqual({ entity: 'invoice', sourceId: '196539' });
    expect(target('invoice.updated', { id: 31, object: 'comment' })).toBeNull();
  });

  it('ignores the types the sync has no use for, and objects without a usable ID', () => {
    for (const type of ['subscription.created', 'estimate.updated', 'email.sent', 'contact.deleted', 'invoice', '', 'toString.created', '__proto__.created']) {
      expect(target(type, { id: 1 }), type).toBeNull();
    }
    for (const id of [0, -1, 1.5, '', '0', '00', 'abc', '1e3', Number.MAX_SAFE_INTEGER + 2, null, undefined]) {
      expect(target('invoice.updated', { id }), String(id)).toBeNull();
    }
  });
});

describe('parseInvoicedWebhookEvent', () => {
  it('reads the envelope of the documented example, its ID as a string', () => {
    const body = JSON.stringify({ id: 1228003, type: 'transaction.created', timestamp: 1451500772, data: { object: { id: 212047, amount: 55 } } });
    const event = parseInvoicedWebhookEvent(new TextEncoder().encode(body));
    expect(event).toMatchObject({ id: '1228003', type: 'transaction.created', timestamp: 1451500772, data: { object: { id: 212047, amount: 55 } } });
    expect(parseInvoicedWebhookEvent(body.replace('1228003', '"1228003"')).id).toBe('1228003');
  });

  it('keeps data.previous and unknown fields, and accepts an ignored type whose object has no ID', () => {
    const event = parseInvoicedWebhookEvent(JSON.stringify({ id: 1, object: 'event', type: 'email.sent', timestamp: 1, data: { object: { email: 'a@b.c' }, previous: { x: 1 } } }));
    expect(event.data.previous).toEqual({ x: 1 });
    expect(event.object).toBe('event');
  });

  it('refuses what is not JSON, and JSON that is not an event, with typed errors that hold no value', () => {
    const problem = (body: string | Uint8Array) => {
      try {
        parseInvoicedWebhookEvent(body);
        return 'parsed';
      } catch (error) {
        expect(error).toBeInstanceOf(InvoicedWebhookEventError);
        expect(JSON.stringify(error)).not.toContain('secret-value');
        return (error as InvoicedWebhookEventError).problem;
      }
    };
    expect(problem('{"id":1,')).toBe('invalid_json');
    expect(problem(new Uint8Array([0xff, 0xfe, 0x7b]))).toBe('invalid_json');
    expect(problem('[]')).toBe('invalid_event');
    expect(problem('{"id":"secret-value","type":"invoice.updated","timestamp":1,"data":{"object":{"id":1}}}')).toBe('invalid_event');
    expect(problem('{"id":1.5,"type":"invoice.updated","timestamp":1,"data":{"object":{"id":1}}}')).toBe('invalid_event');
    expect(problem('{"id":1,"type":"invoice.updated","timestamp":"1","data":{"object":{"id":1}}}')).toBe('invalid_event');
    expect(problem('{"id":1,"type":"invoice.updated","timestamp":1,"data":{}}')).toBe('invalid_event');
    expect(problem('{"id":1,"type":"invoice.updated","timestamp":1e13,"data":{"object":{"id":1}}}')).toBe('invalid_event');
    expect(problem('{"id":1,"type":"invoice.updated","timestamp":1,"data":{"object":{"number":"INV-1"}}}')).toBe('invalid_event');
    expect(problem('{"id":1,"type":"invoice.updated","timestamp":1,"data":{"object":{"id":"secret-value"}}}')).toBe('invalid_event');
  });
});
