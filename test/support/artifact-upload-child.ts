// A stand-in worker that files one artifact through the real recorder and store, then exits:
// tests kill it mid-upload to show nothing half-written is left. Env: the stack's env (storage
// settings, DATABASE_URL), RUN_ID (an existing run), UPLOAD_FILE (the file to file as a recording).
import { loadConfig } from '../../src/config/index.ts';
import { openArtifactStore } from '../../src/artifacts/open-store.ts';
import { openDatabase } from '../../src/db/client.ts';
import { artifactsRepo } from '../../src/db/repositories/artifacts.repo.ts';
import { runsRepo } from '../../src/db/repositories/runs.repo.ts';
import { stepsRepo } from '../../src/db/repositories/steps.repo.ts';
import { createRunRecorder } from '../../src/jobs/run-recorder.ts';

const config = loadConfig(process.env);
const database = openDatabase(config.databaseUrl, 2);
const repos = { runs: runsRepo(database.db), steps: stepsRepo(database.db), artifacts: artifactsRepo(database.db) };
const run = await repos.runs.getById(process.env.RUN_ID!);
if (!run) throw new Error(`no run ${process.env.RUN_ID}`);
const artifactStore = await openArtifactStore({ type: config.storage.type, s3: config.storage.s3, localDir: config.artifactDir });
const recorder = createRunRecorder({ repos, artifactStore, runEvents: { publish: () => {} } } as unknown as Parameters<typeof createRunRecorder>[0], run);
process.stdout.write('uploading\n');
const id = await recorder.saveArtifactFile('recording', process.env.UPLOAD_FILE!, { name: 'killed.webm' });
process.stdout.write(`saved ${id}\n`);
artifactStore.close();
await database.close();
