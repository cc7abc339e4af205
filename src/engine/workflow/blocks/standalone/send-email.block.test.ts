import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { startFixtureServer, type FixtureServer } from '../../../../../test/fixtures/llm/http-fixture.ts';
import { attachmentsOf, startFakeSmtp, type FakeSmtp } from '../../../../../test/support/smtp-server.ts';
import { sendEmailBlock } from './send-email.block.ts';
import { blockContext, filesOnlyBrowser } from '../../../../../test/support/block-context.ts';

const FILES_DIR = fileURLToPath(new URL('../../../../../test/fixtures/files/', import.meta.url));
const CREDENTIALS = { user: 'mailer', pass: 's3cret-pass' };

describe('send_email block (fake SMTP server)', () => {
  let smtp: FakeSmtp;
  let files: FixtureServer;
  let runFiles: Awaited<ReturnType<typeof filesOnlyBrowser>>;
  before(async () => {
    smtp = await startFakeSmtp({ credentials: CREDENTIALS });
    files = await startFixtureServer(async (req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' }).end(await readFile(path.join(FILES_DIR, path.basename(req.path))));
    });
  });
  after(async () => { await smtp.close(); await files.close(); });
  beforeEach(async () => { smtp.messages.length = 0; runFiles = await filesOnlyBrowser(); });
  afterEach(async () => { await runFiles.cleanup(); });

  const block = (fields: Record<string, unknown> = {}) => ({
    block_type: 'send_email', label: 'mail', sender: 'robot@skyport.test', recipients: ['ops@example.com'],
    subject: 'Report\nready', body: 'See attached.', ...fields,
  }) as never;
  const customSmtp = () => ({
    custom_smtp_host: smtp.host, custom_smtp_port: smtp.port, custom_smtp_username: CREDENTIALS.user, custom_smtp_password: CREDENTIALS.pass,
  });

  it('sends through the block\'s custom SMTP server with attachments from a URL and the downloads folder', async () => {
    await writeFile(path.join(runFiles.downloadsDir, 'downloaded.txt'), 'from the browser');
    const result = await sendEmailBlock(blockContext(block({
      ...customSmtp(), file_attachments: [`${files.baseUrl}/orders.csv`, 'SKYVERN_DOWNLOAD_DIRECTORY'],
    }), { browser: runFiles }));
    assert.deepEqual(result, { status: 'completed', output: { success: true }, failureReason: null });
    assert.equal(smtp.messages.length, 1);
    const mail = smtp.messages[0]!;
    assert.deepEqual(mail.auth, CREDENTIALS);
    assert.equal(mail.from, 'robot@skyport.test');
    assert.deepEqual(mail.to.sort(), ['ops@example.com', 'robot@skyport.test'], 'recipients plus the sender as BCC');
    assert.match(mail.data, /^Subject: Report ready - Workflow Run ID: wr_test$/m);
    assert.match(mail.data, /^To: ops@example\.com$/m);
    assert.doesNotMatch(mail.data, /^Bcc:/im);
    assert.match(mail.data, /See attached\./);
    const attachments = attachmentsOf(mail.data);
    assert.deepEqual(attachments.map((a) => a.filename).sort(), ['downloaded.txt', 'orders.csv']);
    assert.equal(attachments.find((a) => a.filename === 'orders.csv')!.content.toString(), await readFile(path.join(FILES_DIR, 'orders.csv'), 'utf8'));
    assert.equal(attachments.find((a) => a.filename === 'downloaded.txt')!.content.toString(), 'from the browser');
  });

  it('falls back to the server SMTP settings and resolves recipients given as a parameter', async () => {
    const ctx = blockContext(block({ recipients: ['team_emails'] }), {
      parameters: { team_emails: ['a@example.com', 'not-an-address', 'b@example.com'] },
      settings: { smtp: { host: smtp.host, port: smtp.port, username: CREDENTIALS.user, password: CREDENTIALS.pass, sender: 'x@y.z' } },
    });
    const result = await sendEmailBlock(ctx);
    assert.equal(result.status, 'completed', result.failureReason ?? '');
    assert.deepEqual(smtp.messages[0]!.to.sort(), ['a@example.com', 'b@example.com', 'robot@skyport.test']);
  });

  it('reads host, port and credentials from the parameters named by smtp_*_secret_parameter_key', async () => {
    const ctx = blockContext(block({
      smtp_host_secret_parameter_key: 'smtp_host', smtp_port_secret_parameter_key: 'smtp_port',
      smtp_username_secret_parameter_key: 'smtp_username', smtp_password_secret_parameter_key: 'smtp_password',
    }), { parameters: { smtp_host: smtp.host, smtp_port: String(smtp.port), smtp_username: CREDENTIALS.user, smtp_password: CREDENTIALS.pass } });
    const result = await sendEmailBlock(ctx);
    assert.equal(result.status, 'completed', result.failureReason ?? '');
    assert.deepEqual(smtp.messages[0]!.auth, CREDENTIALS);
  });

  it('fails with {success: false, error} when the server refuses the login', async () => {
    const result = await sendEmailBlock(blockContext(block({ ...customSmtp(), custom_smtp_password: 'wrong' })));
    assert.equal(result.status, 'failed');
    assert.match(result.failureReason ?? '', /Failed to send email: .*535/);
    assert.equal((result.output as any).success, false);
    assert.equal(smtp.messages.length, 0);
  });

  it('fails before connecting when no server or no valid recipient is known', async () => {
    const noServer = await sendEmailBlock(blockContext(block()));
    assert.equal(noServer.status, 'failed');
    assert.match(noServer.failureReason ?? '', /No SMTP server configured/);
    const noRecipient = await sendEmailBlock(blockContext(block({ ...customSmtp(), recipients: ['nobody'] })));
    assert.equal(noRecipient.status, 'failed');
    assert.match(noRecipient.failureReason ?? '', /No valid email recipient/);
  });

  it('skips a missing local attachment but refuses files outside the run folders', async () => {
    const skipped = await sendEmailBlock(blockContext(block({ ...customSmtp(), file_attachments: ['gone.pdf'] }), { browser: runFiles }));
    assert.equal(skipped.status, 'completed');
    assert.deepEqual(attachmentsOf(smtp.messages[0]!.data), []);
    const outside = await sendEmailBlock(blockContext(block({ ...customSmtp(), file_attachments: [path.join(FILES_DIR, 'orders.csv')] }), { browser: runFiles }));
    assert.equal(outside.status, 'failed');
    assert.match(outside.failureReason ?? '', /outside the run's download directory/);
  });
});
