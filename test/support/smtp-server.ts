// A minimal SMTP server on 127.0.0.1 for send_email tests: EHLO/HELO, AUTH PLAIN and LOGIN,
// MAIL/RCPT/DATA/RSET/NOOP/QUIT, no TLS. Records each accepted message with its envelope.
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The raw message (headers and MIME body), dot-unstuffed. */
  data: string;
  auth: { user: string; pass: string } | null;
}

export interface FakeSmtp {
  host: string;
  port: number;
  messages: ReceivedMail[];
  close(): Promise<void>;
}

export async function startFakeSmtp(options: { credentials?: { user: string; pass: string } } = {}): Promise<FakeSmtp> {
  const messages: ReceivedMail[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    serve(socket, messages, options.credentials);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    messages,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

function serve(socket: Socket, messages: ReceivedMail[], credentials?: { user: string; pass: string }) {
  const reply = (line: string) => socket.write(`${line}\r\n`);
  let buffer = '';
  let mail: ReceivedMail = { from: '', to: [], data: '', auth: null };
  let auth: ReceivedMail['auth'] = null;
  let mode: 'command' | 'data' | 'auth-plain' | 'auth-user' | 'auth-pass' = 'command';
  let dataLines: string[] = [];
  let pendingUser = '';
  const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
  const checkAuth = (user: string, pass: string) => {
    if (!credentials || (credentials.user === user && credentials.pass === pass)) {
      auth = { user, pass };
      reply('235 2.7.0 Authentication successful');
    } else reply('535 5.7.8 Authentication credentials invalid');
    mode = 'command';
  };

  const onLine = (line: string) => {
    if (mode === 'data') {
      if (line === '.') {
        mail.data = dataLines.join('\r\n');
        messages.push({ ...mail, auth });
        mail = { from: '', to: [], data: '', auth: null };
        mode = 'command';
        reply('250 2.0.0 queued');
      } else dataLines.push(line.startsWith('..') ? line.slice(1) : line);
      return;
    }
    if (mode === 'auth-plain') {
      const [, user = '', pass = ''] = decode(line).split('\0');
      return checkAuth(user, pass);
    }
    if (mode === 'auth-user') {
      pendingUser = decode(line);
      mode = 'auth-pass';
      return reply('334 UGFzc3dvcmQ6');
    }
    if (mode === 'auth-pass') return checkAuth(pendingUser, decode(line));

    const [verb = '', ...rest] = line.split(' ');
    const arg = rest.join(' ');
    switch (verb.toUpperCase()) {
      case 'EHLO':
        socket.write('250-fake.smtp\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n');
        return;
      case 'HELO': return reply('250 fake.smtp');
      case 'AUTH': {
        const [kind = '', initial] = arg.split(' ');
        if (kind.toUpperCase() === 'PLAIN') {
          if (initial) {
            const [, user = '', pass = ''] = decode(initial).split('\0');
            return checkAuth(user, pass);
          }
          mode = 'auth-plain';
          return reply('334 ');
        }
        if (kind.toUpperCase() === 'LOGIN') {
          mode = 'auth-user';
          return reply('334 VXNlcm5hbWU6');
        }
        return reply('504 5.5.4 Unrecognized authentication type');
      }
      case 'MAIL':
        if (credentials && !auth) return reply('530 5.7.0 Authentication required');
        mail.from = /<([^>]*)>/.exec(arg)?.[1] ?? '';
        return reply('250 2.1.0 OK');
      case 'RCPT':
        mail.to.push(/<([^>]*)>/.exec(arg)?.[1] ?? '');
        return reply('250 2.1.5 OK');
      case 'DATA':
        mode = 'data';
        dataLines = [];
        return reply('354 End data with <CR><LF>.<CR><LF>');
      case 'RSET':
        mail = { from: '', to: [], data: '', auth: null };
        return reply('250 2.0.0 OK');
      case 'NOOP': return reply('250 2.0.0 OK');
      case 'QUIT':
        reply('221 2.0.0 Bye');
        socket.end();
        return;
      default: return reply('502 5.5.2 Command not recognized');
    }
  };

  reply('220 fake.smtp ESMTP ready');
  socket.on('data', (chunk) => {
    buffer += chunk.toString('utf8');
    let index: number;
    while ((index = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, index);
      buffer = buffer.slice(index + 2);
      onLine(line);
    }
  });
}

/** Attachments of a received message: file name and decoded bytes (base64 or plain parts). */
export function attachmentsOf(data: string): Array<{ filename: string; content: Buffer }> {
  const parts = data.split(/\r\n--[^\r\n]+/);
  const found: Array<{ filename: string; content: Buffer }> = [];
  for (const part of parts) {
    const [head = '', ...bodyParts] = part.split('\r\n\r\n');
    const unfolded = head.replace(/\r\n[ \t]+/g, ' ');
    const filename = /filename\*?=(?:"([^"]+)"|([^;\r\n]+))/i.exec(unfolded);
    if (!/content-disposition:\s*attachment/i.test(unfolded) || !filename) continue;
    const body = bodyParts.join('\r\n\r\n');
    const content = /content-transfer-encoding:\s*base64/i.test(unfolded)
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
      : Buffer.from(body.replace(/=\r\n/g, ''), 'utf8');
    found.push({ filename: (filename[1] ?? filename[2] ?? '').trim(), content });
  }
  return found;
}
