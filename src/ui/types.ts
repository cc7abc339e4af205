// What the viewer needs from the rest of the server, passed in at registration.
import type { RunEventsBus } from '../queue/run-events.ts';
import type { AppServices } from '../http/services.ts';
import type { RunViewerService } from '../services/viewer/run-viewer.service.ts';
import type { ViewerSessions } from '../services/viewer/viewer-sessions.ts';

export interface ViewerDeps {
  viewer: RunViewerService;
  sessions: ViewerSessions;
  runEvents: Pick<RunEventsBus, 'listen'>;
  services: Pick<AppServices, 'workflows' | 'schedules' | 'browserSessions' | 'credentials' | 'runs'>;
  /** Cookies get `Secure` when the viewer is reached over https. */
  secureCookies: boolean;
  /** How often a live page's run is re-read even without an event (a lost message only delays). */
  livePollMs?: number;
}
