/**
 * `netsuite-sync check`: verifies the connection (NetSuite account, credentials and role permissions, the
 * Invoiced API key and its environment, the sync settings proved against the account) with a few read
 * requests, and says how to fix each problem. Exit 64 (usage: the configuration exit code) when a setting
 * would make a sync fail, 1 for any other problem.
 */
import { checkConnection } from '@invoiced/netsuite-sync';
import type { Command } from '../command';
import { EXIT_CODES } from '../exit-codes';

const SIDE_LABELS = { netsuite: 'NetSuite', invoiced: 'Invoiced' } as const;

export const checkCommand: Command = {
  name: 'check',
  summary: 'Check the credentials, permissions and settings of the connection',
  synopsis: '',
  description:
    "Checks, with a few read requests (14 at most without field mappings), that the NetSuite account ID, credentials and the role's permissions (SuiteQL, transactions, deleted records, the REST record service), the Invoiced API key and its environment, and the sync settings are what a sync needs, and proves the settings against the account: the items exist, are active and fit their lines; every currency met maps to an active NetSuite currency; the subsidiary and deposit accounts exist and are active; the field mappings fit each record type's metadata catalog and fill every mandatory field; NetSuite's time zone is known. Each problem comes with what to do. Exit 0 when everything passed, 64 when a setting would make a sync fail (invalid, or refuted by the account), 1 for any other problem.",
  options: {},
  optionHelp: [],
  positionals: { min: 0, max: 0 },
  async run(context) {
    const { output } = context;
    const clients = await context.clients();
    const settings = context.flags.settings === undefined ? undefined : await context.settings();
    const result = await checkConnection({
      ...clients,
      ...(settings === undefined ? {} : { settings }),
      ...(context.signal === undefined ? {} : { signal: context.signal }),
    });
    const style = output.style;
    output.line(style.bold(`Connection check: NetSuite account ${clients.netsuite.accountId}, Invoiced at ${clients.invoiced.baseUrl}`));
    for (const check of result.checks) {
      const mark = check.ok ? style.green('✓') : style.red('✗');
      output.line(`  ${mark} ${SIDE_LABELS[check.side]} ${check.name}: ${check.detail}`);
    }
    if (result.problems.length > 0) {
      output.line();
      output.line(style.bold(`${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}:`));
      for (const problem of result.problems) {
        output.line(`  ${style.red('✗')} ${SIDE_LABELS[problem.side]} ${problem.check}  ${style.cyan(problem.code)}  ${problem.message}`);
        output.line(`    ${style.dim('→')} ${problem.resolution}`);
      }
    } else if (result.settings === 'proved') {
      output.line(style.green("Everything a sync needs is in place. The settings were proved against the account; write permissions are proved by the first sync's writes."));
    }
    // A setting a sync would fail for is a configuration problem: the exit code of wrong settings.
    const exitCode = result.ok && result.settings === 'proved' ? EXIT_CODES.success : result.settings === 'refuted' ? EXIT_CODES.usage : EXIT_CODES.failure;
    output.document({ ok: result.ok, exitCode, accountId: clients.netsuite.accountId, settings: result.settings, checks: result.checks, problems: result.problems });
    return exitCode;
  },
};
