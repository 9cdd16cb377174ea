import { createContext, useContext } from 'react';

/** Page-wide choices a deeply nested renderer needs. */
export interface Settings {
  /** The "load remote images" switch (off unless the reader turned it on for this page). */
  remoteImages: boolean;
}

export const SettingsContext = createContext<Settings>({ remoteImages: false });

export function useSettings(): Settings {
  return useContext(SettingsContext);
}
