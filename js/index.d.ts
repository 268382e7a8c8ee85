// Type declarations of the headless web chat SDK (js/loader.js).
//
// Field names are the documented snake_case ones. Every method returns a
// Promise; rejections are ClientError instances. `@extension` marks what
// this SDK always provides beyond the documents (000, 001): a field they do
// not require, an event payload they do not describe. The parity kit
// (parity/) does not require it of other loaders unless run with --strict. Documented soft failures
// resolve instead: fetchMessages → [], sendFileMessage → -1,
// createCobrowseCode → '', loadOngoingChat → null, getMessageAttachment → null.

/** A language the company supports. */
export interface LanguageOption {
  lang: string;
  label: string;
}

/** The result of getCompany. */
export interface CompanyResponse {
  name: string;
  subdomain: string;
  support_email: string;
  languages: LanguageOption[];
  action_tracking: boolean;
  email_transcripts: boolean;
  message_preview: boolean;
  email_enhancement: boolean;
  cobrowse_domain?: string;
}

/** A channel a menu item offers. */
export type MenuChannel = 'chat' | 'voice_call' | 'email' | 'external_link';

/** One node of the menu tree. */
export interface MenuItem {
  id: number;
  name?: string;
  enabled: boolean;
  redirection?: { option: string; data: string };
  children?: MenuItem[];
  channels: MenuChannel[];
  deflection?: { enabled: boolean; type: string };
}

/** The result of getMenus. */
export interface MenuResponse {
  menus: MenuItem[];
  direct: { key: boolean; user: boolean };
}

/** The result of getWaitTimes, in seconds. */
export interface WaitTimeResponse {
  chat: number;
  voice_call: number;
}

/** A proactive trigger configured for the company (getTrigger, runTrigger). */
export interface TriggerItem {
  id: string;
  /** The trigger matches when the page URL contains any of these. */
  url_keywords?: string[];
  /** "new", "returning" or absent for both. */
  visitor?: string;
  /** The least number of visits, counting this one. */
  min_visits?: number;
  /** How long the visitor must stay on the page, in seconds. */
  stay_seconds?: number;
  menu_id?: number;
  message?: string;
  lang?: string;
}

/** A prohibited file type (getProhibitedFileTypes). */
export interface FileTypeItem {
  extension: string;
  description: string;
}

/** Custom data: a JWT signed with the company secret and/or unsigned fields. */
export interface CustomData {
  signed?: string;
  unsigned?: Record<string, any>;
}

/** Call recording consent; the older boolean form is accepted too. */
export type RecordingPermission =
  | 'recording_permission_not_asked'
  | 'recording_permission_granted'
  | 'recording_permission_denied';

/** createCall's data (current form: the menu id is the first argument). */
export interface CallRequest {
  phone_number: string;
  lang?: string;
  /** Set it to schedule the call (see getTimeSlots). */
  scheduled_at?: string;
  ticket_id?: string;
  email?: string;
  recording_permission?: RecordingPermission | boolean;
  custom_data?: CustomData;
}

/** createCall's data in the older form, with the menu id inside. */
export interface LegacyCallRequest extends CallRequest {
  menu_id: number | string;
}

/** A menu reference. */
export interface MenuRef {
  id: number;
  name: string;
}

/** The documented call object. */
export interface CallResponse {
  id: number;
  lang: string;
  menu_id: number;
  status: string;
  type: string;
  scheduled_at?: string;
  recording_permitted: boolean;
  survey_enabled: boolean;
  created_at: string;
  menus: MenuRef[];
  phone_number?: string;
}

/** createChat's data (current form: the menu id is the first argument). */
export interface ChatRequest {
  lang?: string;
  trigger_id?: string;
  ticket_id?: string;
  email?: string;
  greeting?: string;
  cobrowsable?: boolean;
  custom_data?: CustomData;
}

/** createChat's data in the older form, with the menu id inside. */
export interface LegacyChatRequest extends ChatRequest {
  menu_id: number | string;
}

/**
 * Chat statuses: va_assigned (with a virtual agent), queued (waiting for a
 * human), assigned (with a human), va_dismissed and dismissed (idle,
 * resumable), deflected, timeout, finished and destroyed (final).
 */
export type ChatStatus =
  | 'va_assigned'
  | 'queued'
  | 'assigned'
  | 'va_dismissed'
  | 'dismissed'
  | 'deflected'
  | 'timeout'
  | 'finished'
  | 'destroyed';

/** A human agent on a chat. */
export interface Agent {
  id: number;
  name: string;
  first_name?: string;
  avatar_url?: string;
  status?: string;
}

/** A virtual agent on a chat. */
export interface VirtualAgent {
  id: number;
  name: string;
  avatar_url?: string;
  status?: string;
}

/**
 * A chat's data (000's ChatResponse): the fields of a Chat and of its
 * state.
 */
export interface ChatResponse {
  id: number;
  status: ChatStatus | string;
  status_text: string;
  /** @extension */
  features: string[];
  /** @extension */
  created_at: string;
  ends_at?: string;
  timeout_at?: string;
  /** @extension */
  agent: Agent | null;
  /** @extension */
  virtual_agent: VirtualAgent | null;
  /** @extension */
  all_agents: Agent[];
  /** @extension */
  all_virtual_agents: VirtualAgent[];
  /** @extension */
  lang: string;
  /** @extension */
  menus: MenuRef[];
  /** @extension */
  end_user: { id: number; identifier: string };
  /** @extension */
  menu_id: number;
  /** The chat's newest message $index. @extension */
  last_index: number;
  queue_position?: number;
  escalation_id?: number;
  deflection_channel?: string;
  finished_at?: string;
  /** A post-session virtual agent follows the chat. @extension */
  post_session_required: boolean;
  /** The end user must opt in to the post session. @extension */
  post_session_opt_in_required: boolean;
  /** A PostSessionStatus value. */
  post_session_transfer_status?: string;
  /** @extension */
  rated: boolean;
  /** @extension */
  survey_answered: boolean;
}

/** A message Chat.sendMessage takes besides plain text. */
export interface ChatMessageRequest {
  /** text (default), markdown, or noti for a notification such as formCompleted. */
  type?: 'text' | 'markdown' | 'noti' | string;
  content?: string;
  /** For noti: formCompleted, … */
  event?: string;
  [key: string]: any;
}

/**
 * The chat as the vendor package has it (createChat, loadChat,
 * loadOngoingChat, resumeChat, client.chat and the chat events): its data
 * fields on the object itself and in state, updated in place while it is
 * the client's chat, and methods that act on it. They reject with
 * no_active_chat once it is no longer the client's current chat.
 */
export declare class Chat {
  private constructor();
  /** The chat's data, the same record as the fields of the Chat. */
  readonly state: ChatResponse;
  /** Sends text, a message object, or the formCompleted notification ({type: 'noti', event: 'formCompleted'}). */
  sendMessage(message: string | ChatMessageRequest): Promise<void>;
  sendTextMessage(text: string): Promise<void>;
  sendFileMessage(file: File | Blob): Promise<number>;
  sendPreviewMessage(content: string): Promise<void>;
  /** Tells the agents the end user is typing. */
  startTyping(): Promise<void>;
  /** Tells the agents the end user stopped typing. */
  stopTyping(): Promise<void>;
  fetchMessages(): Promise<MessageResponse[]>;
  escalate(data?: EscalateRequest): Promise<void>;
  /** Ends the chat (status finished), as client.finishChat(). */
  finish(): Promise<void>;
  /** The same as finish(). */
  end(): Promise<void>;
  /** Destroys the chat, as client.destroyChat(). */
  destroy(): Promise<void>;
  /** Resumes the chat when it is dismissed, as client.resumeChat(id). */
  resume(): Promise<Chat>;
}
export interface Chat extends ChatResponse {}

/** An inline button or quick reply. */
export interface MessageButton {
  title: string;
  payload?: string;
  url?: string;
}

/** A form an agent asks the end user to fill. */
export interface MessageForm {
  id: number;
  form_type: string;
  name: string;
  title: string;
  subtitle: string;
  external_form_id: string;
  smart_action_id: number;
  image: string;
}

/** A message's attached file; getMessageAttachment returns it as a File. */
export interface FileInfo {
  name: string;
  content_type: string;
  size: number;
  url?: string;
  caption?: string;
}

/** The author of a message. */
export type MessageUserType = 'end_user' | 'agent' | 'virtual_agent' | 'system';

/** A chat message (fetchMessages, chat.message). */
/**
 * The state of one message the end user sends (text, file or preview),
 * reported by the `message.status` event. Sends made while disconnected
 * are queued, persisted and retried with the same idempotency key
 * (`client_id`), so a retry never creates a second message.
 */
export interface OutgoingMessageStatus {
  /** The idempotency key of this send; the sent message echoes it. */
  client_id: string;
  chat_id: number;
  kind: 'text' | 'file' | 'preview';
  state: 'queued' | 'sending' | 'sent' | 'failed';
  /** How many times a request was made. */
  attempts: number;
  /** Why it failed, or why it is being retried. */
  error?: { code: string; message: string; retryable: boolean; status: number };
  /** The platform's message once sent (text and file). */
  message?: MessageResponse;
}

export interface MessageResponse {
  /** Strictly increasing per chat, from 1. */
  $index: number;
  $sid: string;
  $timestamp: Date;
  $userType: MessageUserType | string;
  $userId: number;
  /** text, noti, content_card, inline_button, form, photo, video, file, markdown, structured, … */
  type: string;
  content?: string;
  /** For noti messages: escalationStarted, escalationAccepted, memberLeft, chatEnded, formRequested, formCompleted, … */
  event?: string;
  file?: File;
  media_id?: number;
  groupMessageId?: number;
  document?: { url: string };
  unredacted?: string;
  buttons?: MessageButton[];
  message?: { messages: string[]; type: string };
  signature: string;
  form?: MessageForm;
  card?: {
    title: string;
    subtitle?: string;
    body?: string;
    image_url?: string;
    link?: string;
    buttons?: MessageButton[];
  };
  file_info?: FileInfo;
  /** A content card again, as apps written for the vendor package read it (cards[0], the image as images[0]). */
  cards?: {
    title: string;
    subtitle?: string;
    body?: string;
    images?: string[];
    link?: string;
    buttons?: MessageButton[];
  }[];
  /** Who wrote the message, as apps written for the vendor package read it. */
  identity?: { display_name: string; is_customer: boolean };
  /** The idempotency key the sender chose. */
  client_id?: string;
  metadata?: any;
  quick_replies?: MessageButton[];
  structured?: any;
  user_name?: string;
}

/** The result of getChatDeflection. */
export interface ChatDeflectionResponse {
  enabled: boolean;
  threshold: number;
  email: boolean;
  keep_waiting: boolean;
  external_deflection_links: { enabled: boolean; ids: number[] };
}

/** The result of downloadChatTranscript. */
export interface GenerateTranscriptResponse {
  status: string;
  chat_transcript_id: number;
}

/** A transcript's status; body is the PDF once ready. */
export interface PdfStatusResponse {
  status: string;
  body?: File;
  failed_reason?: string;
}

/** The result of getPdfStatus. */
export interface RequestReturn {
  /** Lower-case response headers, among them x-transcript-status. */
  headers: Record<string, string>;
  data: PdfStatusResponse;
}

/** A survey question. */
export interface QuestionItem {
  id: number;
  type: 'csat' | 'star' | 'free-form' | 'scale' | 'enumeration';
  display_text: string;
  name?: string;
  is_csat?: boolean;
  position?: number;
  valid_answers?: { key: string; value: string }[];
}

/** The result of getChatSurvey. */
export interface ChatSurveyResponse {
  id?: number;
  lang?: string;
  sign_off_display_text: string;
  questions: QuestionItem[];
}

/** Survey answers by question id. */
export interface SurveyAnswers {
  [question_id: string]: number | string;
}

/** sendChatRate's data. */
export interface RateRequest {
  rating: number;
  feedback?: string;
}

/** escalateChat's data. */
export interface EscalateRequest {
  reason?: string;
  force_escalate?: boolean;
  [key: string]: any;
}

/** trackChatEndUserEvent's data. */
export interface ChatEndUserEventRequest {
  end_user_name?: string;
  event?: string;
  data?: any;
  [key: string]: any;
}

/** One past chat (getChatHistory). */
export interface ChatHistoryItem {
  comm_id: number;
  assigned_at: string;
  comm_type: string;
  timezone: string;
  entries: MessageResponse[];
}

/** The result of getChatHistory. */
export interface ChatHistoryResponse {
  chats: ChatHistoryItem[];
  missing_chat_ids: number[];
  pagination: { next_page: number; per_page: number };
}

/** createEmail's data (current form: the menu id is the first argument). */
export interface EmailRequest {
  name?: string;
  email: string;
  content: string;
  lang?: string;
  files?: File[] | FileList;
  recaptcha?: string;
}

/** createEmail's data in the older form, with the menu id inside. */
export interface LegacyEmailRequest extends EmailRequest {
  menu_id: number | string;
}

/** The documented email object. */
export interface EmailResponse {
  id: number;
  type: string;
  status: string;
  fail_reason: string;
  attachment_count: number;
}

/** A screen-share session (cobrowse.* events). */
export interface CobrowseSession {
  /** @extension */
  id: number;
  /** @extension */
  code: string;
  /** @extension */
  status: 'pending' | 'active' | 'ended' | string;
  chat_id?: number;
  from?: string;
  started_at?: string;
  ended_at?: string;
}

/** A chat member in member and typing events. */
export interface Identity {
  /** @extension */
  id: number;
  /** @extension */
  name: string;
  /** @extension */
  type: MessageUserType | string;
  avatar_url?: string;
}

/** The documented post-session statuses. */
export declare const PostSessionStatus: {
  readonly READY: 'ready';
  readonly IN_PROGRESS: 'in_progress';
  readonly WAITING: 'waiting';
  readonly FINISHED: 'finished';
};
/** One of the PostSessionStatus values. */
export type PostSessionStatus = (typeof PostSessionStatus)[keyof typeof PostSessionStatus];

/** Error codes of ClientError (api/errors.go). */
export type ErrorCode =
  | 'bad_request'
  | 'invalid_argument'
  | 'unauthorized'
  | 'session_expired'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'no_active_chat'
  | 'chat_already_active'
  | 'payload_too_large'
  | 'unsupported_type'
  | 'rate_limited'
  | 'internal'
  | 'unavailable'
  | 'timeout'
  | 'destroyed'
  | 'panic';

/** Every rejection of the client. */
export declare class ClientError extends Error {
  constructor(init?: { code?: string; message?: string; retryable?: boolean; status?: number });
  /** One of ErrorCode. */
  readonly code: ErrorCode | string;
  /** Whether the same call may succeed later. */
  readonly retryable: boolean;
  /** The HTTP status when the error came from the platform, 0 otherwise. */
  readonly status: number;
}

/** Where a client's Go core runs: see ClientOption.core. */
export type CoreMode = "shared" | "worker" | "page";

/** What client.diagnostics() reports. */
export interface Diagnostics {
  /** Where the core runs; null until the client knows. */
  core: CoreMode | null;
  /** The core option asked for. */
  requested: CoreMode | "auto";
  /** Why the core is not where "auto" tried first ("" when it is). */
  reason: string;
  /** In a worker: whether this tab started the core (false: it joined a running one); null in the page. */
  fresh: boolean | null;
}

/** The options of new Client(). */
export interface ClientOption {
  /** The company (required). */
  companyId: string | number;
  /** Returns the end-user JWT your backend signed with the company secret (HS256; iss, iat, exp, identifier). */
  authenticate: () => Promise<{ token: string }>;
  /** The company's tenant (subdomain). */
  tenant?: string;
  /** The platform's base URL, e.g. "https://acme.example.com". */
  host?: string;
  /** The default language. */
  lang?: string;
  /** The communication iframe: its base URL or the full URL of bridge.html (default: host + /bridge/bridge.html). */
  bridge?: string;
  /** Screen-share options. */
  cobrowse?: { enabled?: boolean; [key: string]: any };
  /** Where ccaip.wasm and wasm_exec.js live (default: next to loader.js). */
  sdkBase?: string;
  /** The wasm file's URL (default: sdkBase + ccaip.wasm). */
  wasmUrl?: string;
  /** wasm_exec.js's URL (default: sdkBase + wasm_exec.js). */
  wasmExecUrl?: string;
  /** How long the bridge handshake may take, in ms (default 15000). */
  handshakeTimeout?: number;
  /** How long one platform request may take, in ms (default 30000). */
  requestTimeout?: number;
  /** Log diagnostics to the console and enable debug-only calls. */
  debug?: boolean;
  /**
   * Where the Go core runs. "auto" (the default): "shared", else
   * "worker", else "page", as the browser allows (see diagnostics()).
   * "shared": a SharedWorker on the platform's origin, one core per browser
   * for this page origin and configuration, shared by every tab (one
   * sign-in, one session, one realtime connection). "worker": a dedicated
   * worker of this tab's communication iframe, off the main thread.
   * "page": in this page, one core per Client. A forced "shared" or
   * "worker" that cannot start rejects with "unavailable".
   */
  core?: CoreMode | "auto";
}

/** Realtime connection states (connection.state). */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'polling' | 'offline';

/** Every event and its payload. */
export interface ClientEvents {
  /** The first authentication succeeded. */
  ready: undefined;
  /** @deprecated A session was obtained; use ready. @extension */
  authenticated: { id: number; identifier: string; name?: string; email?: string; phone?: string };
  'chat.ongoing': Chat;
  'chat.updated': Chat;
  /**
   * Every message once, in $index order, the end user's own included; a
   * message a fetchMessages() result of the chat already returned is not
   * delivered again, and messages arriving while fetchMessages() is
   * pending follow its result.
   */
  'chat.message': MessageResponse;
  'chat.memberJoined': Identity;
  'chat.memberLeft': Identity;
  'chat.typingStarted': Identity;
  'chat.typingEnded': Identity;
  /** The realtime link is up; call fetchMessages() to catch up. @extension */
  'chat.connected': Chat;
  /** @extension */
  'chat.disconnected': Chat;
  /** @extension */
  'chat.dismissed': Chat;
  /** @extension */
  'chat.timeout': Chat;
  /** @extension */
  'chat.ended': Chat;
  /** @extension */
  'chat.destroyed': Chat;
  /** An agent asks to share the screen; the payload says who. */
  'cobrowse.request': string;
  'cobrowse.loaded': CobrowseSession;
  'cobrowse.updated': CobrowseSession;
  'cobrowse.ended': CobrowseSession;
  /** The realtime link's state. */
  'connection.state': ConnectionState;
  /** An outgoing message's state changed (queued, sending, sent, failed). */
  'message.status': OutgoingMessageStatus;
  /** loadOngoingChat restored the stored chat. */
  'chat.restored': Chat;
  /** loadOngoingChat found a stored chat that is over; the payload is the reason. */
  'chat.restoreFailed': string;
  /** A background failure no call could report. */
  error: ClientError;
}

/** An event name. */
export type ClientEventName = keyof ClientEvents;

/**
 * The headless chat client. The constructor returns at once; every method
 * may be called at once and waits until the SDK is ready.
 */
export declare class Client {
  constructor(options: ClientOption);

  /** The current chat, null when there is none; apps may assign it (vendor apps do). */
  chat: Chat | null;
  /** Delivers an event to the page's listeners as if the client emitted it (vendor apps call _triggerEvent('chat.connected') after a restore); a chat event without payload carries client.chat. */
  _triggerEvent<E extends ClientEventName>(event: E, payload?: ClientEvents[E]): void;

  /** Registers fn for event; returns a function that removes it. */
  on<E extends ClientEventName>(event: E, fn: (payload: ClientEvents[E]) => void): () => void;
  /** Registers fn for the next delivery of event only; returns a function that removes it. */
  once<E extends ClientEventName>(event: E, fn: (payload: ClientEvents[E]) => void): () => void;
  /** Removes fn from event, or every listener of event when fn is omitted. */
  off<E extends ClientEventName>(event: E, fn?: (payload: ClientEvents[E]) => void): void;
  /** Removes the communication iframe and every listener, timer and socket. */
  destroy(): Promise<void>;
  /** Where the Go core runs and why (an "auto" client that fell back says so in reason). */
  diagnostics(): Diagnostics;

  /** The proactive trigger matching the current page, or null. */
  getTrigger(): Promise<TriggerItem | null>;
  /** Calls cb once with the first trigger whose conditions hold (waiting for stay times). */
  runTrigger(cb: (trigger: TriggerItem) => void): Promise<void>;
  /** The company information. */
  getCompany(): Promise<CompanyResponse>;
  /** The after-hours deflection message. */
  getAfterHourMessage(lang?: string): Promise<string>;
  /** The menu tree of the tenant; key selects a direct-access menu. */
  getMenus(key?: string, lang?: string): Promise<MenuResponse>;
  /** The wait times of a menu's chat and call channels. */
  getWaitTimes(menuId: number | string, lang?: string): Promise<WaitTimeResponse>;

  /** Creates an instant or scheduled call. */
  createCall(menuId: number | string, data: CallRequest): Promise<CallResponse>;
  /** @deprecated Older form: createCall({menu_id, lang, phone_number, …}). */
  createCall(data: LegacyCallRequest): Promise<CallResponse>;
  /** The call with this id. */
  loadCall(callId: number | string): Promise<CallResponse>;
  /** Cancels a call. */
  cancelCall(callId: number | string): Promise<CallResponse>;
  /** The time slots available for scheduled calls. */
  getTimeSlots(menuId: number | string, lang?: string): Promise<string[]>;

  /** Creates a chat. Rejects with chat_already_active while one is ongoing. */
  createChat(menuId: number | string, data?: ChatRequest): Promise<Chat>;
  /** @deprecated Older form: createChat({menu_id, lang, …}, customData?). */
  createChat(data: LegacyChatRequest, customData?: CustomData): Promise<Chat>;
  /** The chat with this id. */
  loadChat(chatId: number | string): Promise<Chat>;
  /** The ongoing chat stored in this browser, or null (stored values are cleared when it is over); resolves once its realtime link is up (chat.connected emitted), at most 5 s later. */
  loadOngoingChat(): Promise<Chat | null>;
  /** Resumes a dismissed chat. */
  resumeChat(chatId: number | string): Promise<Chat>;
  /** Changes the current chat's status to finished. */
  finishChat(): Promise<void>;
  /** Destroys the current chat. */
  destroyChat(): Promise<void>;
  /** Every message of the current chat; [] on error. */
  fetchMessages(): Promise<MessageResponse[]>;
  /** Sends a text message. */
  sendTextMessage(rawContent: string): Promise<void>;
  /** Sends a file; resolves its message id, or -1 on error. */
  sendFileMessage(file: File | Blob): Promise<number>;
  /** Sends the text being typed (message preview). */
  sendPreviewMessage(content: string): Promise<void>;
  /** The chat deflection configuration. */
  getChatDeflection(): Promise<ChatDeflectionResponse>;
  /** Emails the current chat's transcript to these addresses. */
  sendChatTranscripts(emails: string[]): Promise<void>;
  /** Starts generating the transcript PDF. */
  downloadChatTranscript(): Promise<GenerateTranscriptResponse>;
  /** A transcript's status (header x-transcript-status), with the PDF once ready. */
  getPdfStatus(id: number): Promise<RequestReturn>;
  /** The survey questions of the current chat. */
  getChatSurvey(): Promise<ChatSurveyResponse>;
  /** Sends the survey answers. */
  sendChatSurvey(answers: SurveyAnswers): Promise<void>;
  /** Sends the end user's rating of the finished chat. */
  sendChatRate(data: RateRequest): Promise<void>;
  /** Transfers the chat from the virtual agent to a human. */
  escalateChat(data?: EscalateRequest): Promise<void>;
  /** Tracks which channel the end user took after a deflected escalation. */
  trackChatEscalation(escalationId: number, channel: string): Promise<void>;
  /** Tracks an end-user event on the current chat. */
  trackChatEndUserEvent(data: ChatEndUserEventRequest): Promise<void>;
  /** The end user's past chats. */
  getChatHistory(page?: number): Promise<ChatHistoryResponse>;

  /** Sends an email with attachments. */
  createEmail(menuId: number | string, data: EmailRequest): Promise<EmailResponse>;
  /** @deprecated Older form: createEmail({menu_id, lang, …}). */
  createEmail(data: LegacyEmailRequest): Promise<EmailResponse>;
  /** The file types email attachments may not have. */
  getProhibitedFileTypes(): Promise<FileTypeItem[]>;

  /** Creates a screen-share code; '' on error. */
  createCobrowseCode(lang?: string, customData?: Record<string, string>): Promise<string>;
  /** Starts a screen-share session. */
  startCobrowse(from?: string): Promise<void>;
  /** A message's attachment as a File, or null when it has none. */
  getMessageAttachment(message: MessageResponse): Promise<File | null>;
  /** Updates the post-session status of the current chat. */
  updatePostSession(postSessionStatus: PostSessionStatus): Promise<void>;
}
