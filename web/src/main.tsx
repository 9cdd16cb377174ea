import './start.js';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { loadReview } from './load.js';
import { markData } from './progress.js';
import './style.css';

const REMOTE_PARAM = 'remote-images';

/**
 * The page's Content-Security-Policy was chosen before this script ran (see index.html) from the same URL
 * parameter: turning remote images on or off reloads the page so the policy can change with it.
 */
function setRemoteImages(on: boolean): void {
  const url = new URL(location.href);
  if (on) url.searchParams.set(REMOTE_PARAM, '1');
  else url.searchParams.delete(REMOTE_PARAM);
  location.assign(url.toString());
}

const root = createRoot(document.getElementById('root')!);
loadReview().then(
  (review) => {
    markData();
    document.title = `${review.title} · Cellwise`;
    const remote = new URLSearchParams(location.search).get(REMOTE_PARAM) === '1';
    root.render(<App review={review} remoteImages={remote} onRemoteImages={setRemoteImages} />);
  },
  (e: unknown) => {
    root.render(<p className="cw-error-note">Cellwise could not show this review: {e instanceof Error ? e.message : String(e)}</p>);
  },
);
