// `npm run rotate-secret`: re-seals every stored API key and credential under a new sealing key, in
// one transaction, then puts the new key where the server reads it. Stop the API and every worker
// first (they keep the old key in memory). See docs/configuration.md, "Sealing key".
//   --from-database   the old key is the one a pre-move install kept in server_settings (used when
//                     start refuses because it differs from SECRET_KEY / the key file)
//   NEW_SECRET_KEY=…  the new key (default: generated). With SECRET_KEY set, the new key is printed
//                     and you set SECRET_KEY to it; otherwise the key file is replaced.
import { rename } from 'node:fs/promises';
import { loadConfig } from './config/index.ts';
import { openDatabase } from './db/client.ts';
import { LEGACY_SETTING, replaceKeyFile, resealAll, resolveSealingKey } from './services/sealing-key.ts';
import { newServerSecret } from './services/secrets.ts';

export async function rotateSecret(env: NodeJS.ProcessEnv, args: string[], out: (line: string) => void): Promise<void> {
  const config = loadConfig(env);
  const database = openDatabase(config.databaseUrl, 2);
  try {
    let oldKey: string;
    if (args.includes('--from-database')) {
      const { rows } = await database.pool.query<{ value: string }>('select value from server_settings where key = $1', [LEGACY_SETTING]);
      if (!rows[0]) throw new Error('--from-database: the database holds no sealing key (server_settings.server_secret)');
      oldKey = rows[0].value;
    } else {
      oldKey = await resolveSealingKey(database.pool, config, out);
    }
    const newKey = env.NEW_SECRET_KEY || newServerSecret();
    if (newKey === oldKey) throw new Error('the new key equals the current one');
    // The new key is on disk before the database changes: an interruption after the commit leaves
    // it in <file>.new, never lost.
    const pending = `${config.secretKeyFile}.new`;
    if (!config.secretKey) await replaceKeyFile(pending, newKey);
    const counts = await resealAll(database.pool, oldKey, newKey);
    out(`re-sealed ${counts.apiKeys} API key(s) and ${counts.credentials} credential(s) under the new key`);
    if (config.secretKey) {
      out('SECRET_KEY is set: give every API and worker process the new key before starting them:');
      out(`SECRET_KEY=${newKey}`);
    } else {
      await rename(pending, config.secretKeyFile);
      out(`new key written to ${config.secretKeyFile}; start the server again`);
    }
  } finally {
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  rotateSecret(process.env, process.argv.slice(2), (line) => console.log(line)).catch((err) => {
    console.error(`rotate-secret: ${(err as Error).message}`);
    process.exit(1);
  });
}
