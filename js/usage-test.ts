// usage-test.ts: the documented examples, type-checked against index.d.ts
// (tsc -p js/tsconfig.json). Never run; a wrong declaration fails the build.
import {
  Client,
  ClientError,
  PostSessionStatus,
  type CallResponse,
  type CoreMode,
  type Diagnostics,
  type Chat,
  type ChatHistoryResponse,
  type MenuResponse,
  type MessageResponse,
  type OutgoingMessageStatus,
  type PdfStatusResponse,
  type TriggerItem,
  type WaitTimeResponse,
} from './index'

declare const input: HTMLInputElement

async function examples(): Promise<void> {
  const client = new Client({
    companyId: 'demo',
    tenant: 'demo',
    host: 'https://demo.example.com',
    authenticate: async () => ({ token: 'jwt' }),
    core: 'auto',
  })

  const off: () => void = client.on('chat.message', (m: MessageResponse) => {
    const when: Date = m.$timestamp
    void when
  })
  off()
  client.on('chat.connected', async () => {
    const messages: MessageResponse[] = await client.fetchMessages()
    void messages
  })
  client.on('message.status', (s: OutgoingMessageStatus) => {
    const state: 'queued' | 'sending' | 'sent' | 'failed' = s.state
    if (s.state === 'sent' && s.message) void s.message.$index
    if (s.error?.retryable) void s.attempts
    void state
  })
  client.once('ready', () => {})
  client.off('chat.message')

  const trigger: TriggerItem | null = await client.getTrigger()
  await client.runTrigger((t: TriggerItem) => { void t.id })
  const company = await client.getCompany()
  const name: string = company.name
  const diagnostics: Diagnostics = client.diagnostics()
  const where: CoreMode | null = diagnostics.core
  void where
  const message: string = await client.getAfterHourMessage()
  const data: MenuResponse = await client.getMenus('direct_menu_key')
  console.log(data.menus, data.direct.key)
  const wait: WaitTimeResponse = await client.getWaitTimes(123)
  const { chat, voice_call } = await client.getWaitTimes('123', 'en')

  const call: CallResponse = await client.createCall(123, { phone_number: '+12345678' })
  await client.createCall({ menu_id: 123, lang: 'en', phone_number: '+12345678', scheduled_at: '2023-05-31T11:45+0000', recording_permission: true })
  await client.loadCall(1234)
  await client.cancelCall(1234)
  const slots: string[] = await client.getTimeSlots(123)

  const created: Chat = await client.createChat(123, { lang: 'en' })
  await client.createChat({ menu_id: 123, lang: 'en' }, { unsigned: { plan: { label: 'Plan', value: 'gold' } } })
  await client.loadChat(1234)
  const ongoing: Chat | null = await client.loadOngoingChat()
  // As apps written for the vendor package use it.
  client.chat = ongoing
  if (client.chat) {
    const text: string = client.chat.state.status_text
    const same: number = client.chat.id + client.chat.state.id
    await client.chat.startTyping()
    await client.chat.stopTyping()
    await client.chat.sendMessage({ type: 'noti', content: '', event: 'formCompleted', signature: 's' })
    await client.chat.sendMessage('hi')
    await client.chat.end()
    console.log(text, same)
  }
  client.on('chat.updated', (chat) => console.log(chat.state.status, chat.state.status_text, chat.status))
  client._triggerEvent('chat.connected')
  await client.resumeChat(1234)
  await client.finishChat()
  await client.destroyChat()
  await client.sendTextMessage('hello world')
  const id: number = await client.sendFileMessage(input.files![0])
  await client.sendPreviewMessage('preview content')
  const deflection = await client.getChatDeflection()
  const keep: boolean = deflection.keep_waiting
  await client.sendChatTranscripts(['name1@example.com', 'name2@example.com'])
  const resp = await client.downloadChatTranscript()
  const pdf = await client.getPdfStatus(resp.chat_transcript_id)
  const status: string = pdf.headers['x-transcript-status']
  const pdfData: PdfStatusResponse = pdf.data
  const survey = await client.getChatSurvey()
  console.log(survey.questions[0].type === 'csat')
  await client.sendChatSurvey({ 123: 'a', 231: 'b' })
  await client.sendChatRate({ rating: 5, feedback: 'Very good service' })
  await client.escalateChat()
  await client.escalateChat({ reason: 'human please' })
  await client.trackChatEscalation(1, 'email')
  await client.trackChatEndUserEvent({ end_user_name: 'Ann' })
  const history: ChatHistoryResponse = await client.getChatHistory(1)
  await client.createEmail(123, { lang: 'en', name: 'User name', email: 'name@example.com', content: 'description of the question', files: input.files! })
  await client.createEmail({ menu_id: 123, lang: 'en', email: 'name@example.com', content: 'q' })
  const types = await client.getProhibitedFileTypes()
  const code: string = await client.createCobrowseCode()
  await client.startCobrowse()
  const file: File | null = await client.getMessageAttachment(created as unknown as MessageResponse)
  await client.updatePostSession(PostSessionStatus.READY)
  await client.updatePostSession('finished')

  try {
    await client.getCompany()
  } catch (error) {
    if (error instanceof ClientError) {
      const c: string = error.code
      const r: boolean = error.retryable
      const s: number = error.status
      void c, r, s
    }
  }
  await client.destroy()
  void trigger, name, message, wait, chat, voice_call, call, slots, ongoing, id, keep, status, pdfData, history, types, code, file
}

// @ts-expect-error companyId is required
new Client({ authenticate: async () => ({ token: '' }) })

void examples
