// Type declarations of the drop-in widget (js/widget.js), the package's
// "./widget" entry.

import type { Chat, Client, ClientError, ClientOption, MessageResponse, SurveyAnswers } from './index.js';

/** The widget's options: the client's, plus how the UI starts. */
export interface WidgetOptions extends Partial<Omit<ClientOption, 'authenticate'>> {
  companyId: string | number;
  /** Obtains the end user's token; without it, tokenUrl is POSTed for {token}. */
  authenticate?: ClientOption['authenticate'];
  /** POSTed to obtain {token} when no authenticate is given. */
  tokenUrl?: string;
  /** A direct-access menu key. */
  menuKey?: string;
  /** The panel's title (default "Chat with us"). */
  title?: string;
  /** An existing client to render; the widget then does not destroy it. */
  client?: Client;
  /** The brand colour (#rgb or #rrggbb); text on it turns black or white for contrast. */
  brandColor?: string;
  /** Corner radius, a CSS length. */
  radius?: string;
  /** Font family, a CSS font-family list. */
  font?: string;
  /** Which corner the launcher sits in (default 'right'). */
  position?: 'right' | 'left';
  /** The launcher's accessible label. */
  launcherLabel?: string;
  /** Light, dark, or following prefers-color-scheme (default 'auto'). */
  theme?: 'auto' | 'light' | 'dark';
  /** Overrides of single UI strings, by key of the string tables. */
  strings?: Record<string, string>;
}

/** The widget's events and their payloads. */
export interface WidgetEvents {
  show: undefined;
  hide: undefined;
  restored: Chat;
  chat: Chat;
  message: MessageResponse;
  deflection: string;
  ended: Chat;
  survey: SurveyAnswers;
  rated: number;
  error: ClientError;
}

/** Widget is the drop-in chat UI, rendered in a shadow root. */
export declare class Widget {
  constructor(options: WidgetOptions);
  /** The client the widget renders. */
  readonly client: Client;
  /** Merges options before start. */
  config(options: Partial<WidgetOptions>): this;
  /** Renders the launcher into the element (or selector); default document.body. */
  mount(target?: string | Element): this;
  /** Restores an ongoing chat, or shows the menus. */
  start(options?: { menuKey?: string }): Promise<void>;
  show(): this;
  hide(): this;
  on<E extends keyof WidgetEvents>(event: E, fn: (payload: WidgetEvents[E]) => void): () => void;
  off<E extends keyof WidgetEvents>(event: E, fn: (payload: WidgetEvents[E]) => void): void;
  /** Removes the UI and, unless it was given one, destroys the client. */
  destroy(): void;
}
