/** The `customer` record: its rules, storage in the `customer` table, and its REST shape (fields: `record-schemas.ts`). */
import type { SQLOutputValue } from 'node:sqlite';
import type { Stamp } from './dates';
import { badRequest, missingField } from './errors';
import { booleanAt, externalIdAt, objectAt, refAt, resolveRef, stringAt, type Body } from './fields';
import { bodyFieldsOf, extrasOfRow, mandatoryFields, preferredForm, readExtras, renderExtras, requireMandatory, storeExtras } from './shape-fields';
import { checkbox, compact, nextId, recordUrl, refTo, selfLinks, type RestRecord, type StoreContext, type WriteOptions } from './record-common';
import { prepared } from './statements';

/** A row of the `customer` table. */
export interface CustomerRow {
  id: number;
  entityid: string | null;
  companyname: string | null;
  isperson: 'T' | 'F';
  firstname: string | null;
  lastname: string | null;
  email: string | null;
  phone: string | null;
  currency: number | null;
  subsidiary: number | null;
  externalid: string | null;
  isinactive: 'T' | 'F';
  datecreated: Stamp;
  lastmodifieddate: Stamp;
}

/** Reads a customer row. */
export function customerRow(context: StoreContext, id: number): CustomerRow | undefined {
  return prepared(context.db, 'SELECT * FROM customer WHERE id = ?').get(id) as CustomerRow | undefined;
}

/**
 * Creates (no `id`) or changes a customer from a REST body (checked by `checkBody`) and returns its ID.
 * Required on create: `subsidiary` (a OneWorld account), and `companyName`, or `firstName` and
 * `lastName` when `isPerson` is true. `currency` defaults to the subsidiary's.
 */
export function writeCustomer(context: StoreContext, input: unknown, id: number | undefined, options: WriteOptions = {}): number {
  const { db } = context;
  const body: Body = objectAt(input, '');
  const existing = id === undefined ? undefined : customerRow(context, id);
  const fields = bodyFieldsOf(db, 'customer');
  const given = readExtras(db, 'customer', fields, body);
  const extras = { ...extrasOfRow(fields, existing as Record<string, SQLOutputValue> | undefined), ...given };
  if (existing === undefined && (extras.customform === undefined || extras.customform === null)) {
    const form = preferredForm(db, 'customer');
    if (form !== null) extras.customform = form;
  }
  // The shape's mandatory fields bind REST writes only; the state API may leave them empty (a person's import).
  if (options.origin?.rest === true) requireMandatory(mandatoryFields(db, 'customer', fields, extras.customform), extras, given, existing === undefined);
  const row: CustomerRow = existing
    ? { ...existing }
    : {
        id: options.id ?? nextId(db, 'customer'),
        entityid: null,
        companyname: null,
        isperson: 'F',
        firstname: null,
        lastname: null,
        email: null,
        phone: null,
        currency: null,
        subsidiary: null,
        externalid: null,
        isinactive: 'F',
        datecreated: options.timestamps?.created ?? options.timestamps?.lastModified ?? context.now(),
        lastmodifieddate: context.now(),
      };

  const text = (key: string, column: 'entityid' | 'companyname' | 'firstname' | 'lastname' | 'email' | 'phone') => {
    const value = stringAt(body, key);
    if (value !== undefined) row[column] = value;
  };
  text('entityId', 'entityid');
  text('companyName', 'companyname');
  text('firstName', 'firstname');
  text('lastName', 'lastname');
  text('email', 'email');
  text('phone', 'phone');
  const isPerson = booleanAt(body, 'isPerson');
  if (isPerson !== undefined) row.isperson = checkbox(isPerson);
  const isInactive = booleanAt(body, 'isInactive');
  if (isInactive !== undefined) row.isinactive = checkbox(isInactive);
  const externalId = externalIdAt(body);
  if (externalId !== undefined) row.externalid = externalId;

  const subsidiary = refAt(body, 'subsidiary');
  if (subsidiary === null || (subsidiary === undefined && row.subsidiary === null)) throw missingField('subsidiary', 'Primary Subsidiary');
  if (subsidiary !== undefined) row.subsidiary = resolveRef(db, 'subsidiary', subsidiary, 'subsidiary');
  const currency = refAt(body, 'currency');
  if (currency) row.currency = resolveRef(db, 'currency', currency, 'currency');
  if (row.currency === null) {
    const home = prepared(db, 'SELECT currency FROM subsidiary WHERE id = ?').get(row.subsidiary);
    row.currency = Number(home?.currency ?? 1);
  }

  if (row.isperson === 'T') {
    if (row.firstname === null) throw missingField('firstName', 'First Name');
    if (row.lastname === null) throw missingField('lastName', 'Last Name');
  } else if (row.companyname === null) {
    throw missingField('companyName', 'Company Name');
  }
  const name = row.isperson === 'T' ? `${row.firstname} ${row.lastname}` : (row.companyname ?? '');
  row.entityid ??= name;
  if (row.externalid !== null) {
    const clash = prepared(db, 'SELECT id FROM customer WHERE externalid = ? AND id <> ?').get(row.externalid, row.id);
    if (clash !== undefined) throw badRequest('DUP_RCRD', `A customer with external ID ${row.externalid} already exists.`, { path: 'externalId' });
  }
  if (existing && existing.currency !== row.currency) {
    const transactions = prepared(db, 'SELECT COUNT(*) AS n FROM ns_transaction WHERE entity = ?').get(row.id);
    if (Number(transactions?.n) > 0) {
      throw badRequest('USER_ERROR', 'You cannot change the currency of a customer that has transactions.', { path: 'currency' });
    }
  }
  row.lastmodifieddate = options.timestamps?.lastModified ?? context.now();

  const title = row.entityid === name || name === '' ? row.entityid : `${row.entityid} ${name}`;
  const values = [row.entityid, name, title, row.companyname, row.isperson, row.firstname, row.lastname, row.email, row.phone, row.currency, row.subsidiary, row.externalid, row.isinactive, row.datecreated, row.lastmodifieddate, row.id];
  if (existing) {
    prepared(db, 
      `UPDATE customer SET entityid = ?, altname = ?, entitytitle = ?, companyname = ?, isperson = ?, firstname = ?, lastname = ?, email = ?,
        phone = ?, currency = ?, subsidiary = ?, externalid = ?, isinactive = ?, datecreated = ?, lastmodifieddate = ? WHERE id = ?`,
    ).run(...values);
  } else {
    prepared(db, 
      `INSERT INTO customer (entityid, altname, entitytitle, companyname, isperson, firstname, lastname, email, phone, currency, subsidiary,
        externalid, isinactive, datecreated, lastmodifieddate, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(...values);
  }
  storeExtras(db, 'customer', 'id = ?', [row.id], extras);
  return row.id;
}

/** Deletes a customer; refused while transactions refer to it. */
export function deleteCustomer(context: StoreContext, id: number): void {
  const used = prepared(context.db, 'SELECT COUNT(*) AS n FROM ns_transaction WHERE entity = ?').get(id);
  if (Number(used?.n) > 0) throw badRequest('USER_ERROR', 'This record cannot be deleted because it has dependent records.');
  prepared(context.db, 'DELETE FROM customer WHERE id = ?').run(id);
}

/** The REST shape of a customer. */
export function renderCustomer(context: StoreContext, row: CustomerRow, base: string): RestRecord {
  return compact({
    links: selfLinks(recordUrl(base, 'customer', row.id)),
    id: String(row.id),
    entityId: row.entityid,
    companyName: row.companyname,
    isPerson: row.isperson === 'T',
    firstName: row.firstname,
    lastName: row.lastname,
    email: row.email,
    phone: row.phone,
    subsidiary: refTo(context.db, 'subsidiary', row.subsidiary),
    currency: refTo(context.db, 'currency', row.currency),
    externalId: row.externalid,
    isInactive: row.isinactive === 'T',
    dateCreated: row.datecreated,
    lastModifiedDate: row.lastmodifieddate,
    ...renderExtras(context.db, bodyFieldsOf(context.db, 'customer'), row as unknown as Record<string, SQLOutputValue>),
  });
}
