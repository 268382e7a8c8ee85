// methods.js: every documented method called with the documented examples,
// result shapes checked. Soft failures resolve with their documented value.
import { run, newClient, check, shape, rejects, waitEvent, PostSessionStatus } from './lib.js'

const results = {}
async function step(name, fn) {
  try {
    results[name] = await fn()
  } catch (err) {
    throw new Error(`${name}: ${err && err.code ? err.code + ' ' : ''}${err && err.message || err}`)
  }
}

run(async () => {
  const client = newClient('methods-user-' + Date.now())
  const unsubscribe = client.on('chat.updated', () => {})
  check(typeof unsubscribe === 'function', 'on() returns an unsubscribe function')
  unsubscribe()

  await step('getTrigger', async () => { const t = await client.getTrigger(); check(t === null || typeof t.id === 'string', 'trigger'); return t })
  await step('runTrigger', async () => client.runTrigger(() => {}))
  await step('getCompany', async () => shape(await client.getCompany(), { name: 'string', subdomain: 'string', support_email: 'string', languages: 'array', action_tracking: 'boolean', email_transcripts: 'boolean', message_preview: 'boolean', email_enhancement: 'boolean' }, 'company'))
  await step('getAfterHourMessage', async () => { const m = await client.getAfterHourMessage(); check(typeof m === 'string', 'string'); return m })
  await step('getMenus', async () => shape(await client.getMenus('direct_menu_key'), { menus: 'array', direct: 'object' }, 'menus'))
  await step('getWaitTimes', async () => shape(await client.getWaitTimes(123), { chat: 'number', voice_call: 'number' }, 'wait times'))
  await step('getProhibitedFileTypes', async () => { const t = await client.getProhibitedFileTypes(); check(Array.isArray(t), 'array'); t.forEach((x) => shape(x, { extension: 'string', description: 'string' }, 'file type')); return t })
  await step('getTimeSlots', async () => { const s = await client.getTimeSlots(123); check(Array.isArray(s) && s.every((x) => typeof x === 'string'), 'slots'); return s.length })
  const callShape = { id: 'number', lang: 'string', menu_id: 'number', status: 'string', type: 'string', recording_permitted: 'boolean', survey_enabled: 'boolean', created_at: 'string', menus: 'array' }
  let call
  await step('createCall', async () => { call = shape(await client.createCall(123, { phone_number: '+12345678' }), callShape, 'call'); return call.id })
  await step('loadCall', async () => shape(await client.loadCall(call.id), callShape, 'call').id)
  await step('cancelCall', async () => { const c = shape(await client.cancelCall(call.id), callShape, 'call'); check(c.status === 'cancelled', `status ${c.status}`); return c.status })
  // One instant call per end user may be in progress, so the older form comes after the cancel.
  await step('createCall (older form)', async () => {
    const c = shape(await client.createCall({ menu_id: 123, lang: 'en', phone_number: '+12345678', recording_permission: true }), callShape, 'call')
    check(c.recording_permitted === true, 'recording_permission: true (older boolean form) permits recording')
    await client.cancelCall(c.id)
    return c.id
  })

  const chatShape = { id: 'number', status: 'string', status_text: 'string', features: 'array', created_at: 'string', lang: 'string', menus: 'array', end_user: 'object', menu_id: 'number', post_session_required: 'boolean', post_session_opt_in_required: 'boolean' }
  await rejects(client.finishChat(), 'no_active_chat', 'finishChat without a chat')
  const connected = waitEvent(client, 'chat.connected')
  let chat
  await step('createChat', async () => { chat = shape(await client.createChat(123, { lang: 'en' }), chatShape, 'chat'); return chat.id })
  await connected
  await rejects(client.createChat(123, { lang: 'en' }), 'chat_already_active', 'second createChat')
  await step('loadChat', async () => shape(await client.loadChat(chat.id), chatShape, 'chat').id)
  await step('loadOngoingChat', async () => shape(await client.loadOngoingChat(), chatShape, 'ongoing chat').id)
  await step('sendTextMessage', async () => client.sendTextMessage('hello world'))
  await rejects(client.sendTextMessage(''), null, 'empty text')
  await step('sendPreviewMessage', async () => client.sendPreviewMessage('preview content'))
  let fileId
  await step('sendFileMessage', async () => {
    fileId = await client.sendFileMessage(new File(['%PDF-1.4 test'], 'note.txt', { type: 'text/plain' }))
    check(typeof fileId === 'number', 'message id is a number')
    return fileId
  })
  let messages
  await step('fetchMessages', async () => {
    messages = await client.fetchMessages()
    check(Array.isArray(messages) && messages.length >= 2, 'messages')
    messages.forEach((m) => shape(m, { $index: 'number', $sid: 'string', $timestamp: 'date', $userType: 'string', $userId: 'number', type: 'string', signature: 'string' }, 'message'))
    return messages.length
  })
  await step('getMessageAttachment', async () => {
    const withFile = messages.find((m) => m.media_id || m.file_info)
    const none = await client.getMessageAttachment(messages.find((m) => m.content === 'hello world'))
    check(none === null, 'no attachment → null')
    if (!withFile) return 'no file message'
    const f = await client.getMessageAttachment(withFile)
    check(f instanceof File && f.size > 0, 'attachment is a File')
    return f.name
  })
  // The deflection configuration is an object in every status, never null (000).
  await step('getChatDeflection (with the virtual agent)', async () => shape(await client.getChatDeflection(), { enabled: 'boolean', threshold: 'number', email: 'boolean', keep_waiting: 'boolean', external_deflection_links: 'object' }, 'deflection before escalation'))
  await step('trackChatEndUserEvent', async () => client.trackChatEndUserEvent({ end_user_name: 'Ann' }))
  await step('createCobrowseCode', async () => { const c = await client.createCobrowseCode(); check(typeof c === 'string', 'code'); return c })
  await step('startCobrowse', async () => client.startCobrowse())
  await step('escalateChat', async () => client.escalateChat())
  await step('getChatDeflection', async () => shape(await client.getChatDeflection(), { enabled: 'boolean', threshold: 'number', email: 'boolean', keep_waiting: 'boolean', external_deflection_links: 'object' }, 'deflection'))
  await step('trackChatEscalation', async () => {
    const c = await client.loadChat(chat.id)
    check(typeof c.escalation_id === 'number' && c.escalation_id > 0, `escalation id ${c.escalation_id}`)
    await client.trackChatEscalation(c.escalation_id, 'keep_waiting')
    await rejects(client.trackChatEscalation(c.escalation_id, 'carrier_pigeon'), 'invalid_argument', 'unknown channel')
    return c.escalation_id
  })
  await step('sendChatTranscripts', async () => client.sendChatTranscripts(['name1@example.com', 'name2@example.com']))
  let transcript
  await step('downloadChatTranscript', async () => { transcript = shape(await client.downloadChatTranscript(), { status: 'string', chat_transcript_id: 'number' }, 'transcript'); return transcript })
  await step('getPdfStatus', async () => {
    const r = await client.getPdfStatus(transcript.chat_transcript_id)
    shape(r, { headers: 'object', data: 'object' }, 'pdf status')
    check(typeof r.headers['x-transcript-status'] === 'string', 'x-transcript-status header')
    return r.data.status
  })
  await step('updatePostSession', async () => client.updatePostSession(PostSessionStatus.READY).catch((err) => {
    check(err.code === 'conflict' || err.code === 'invalid_argument', `updatePostSession: ${err.code}`)
    return err.code
  }))
  await step('finishChat', async () => client.finishChat())
  await step('getChatSurvey', async () => shape(await client.getChatSurvey(), { sign_off_display_text: 'string', questions: 'array' }, 'survey').questions.length)
  await step('sendChatSurvey', async () => client.sendChatSurvey({ 1: 'a', 5: 'b' }).catch((err) => { check(err.code === 'invalid_argument', `survey: ${err.code}`); return err.code }))
  await step('sendChatRate', async () => client.sendChatRate({ rating: 5, feedback: 'Very good service' }))
  await step('getChatHistory', async () => shape(await client.getChatHistory(1), { chats: 'array', missing_chat_ids: 'array', pagination: 'object' }, 'history').chats.length)
  await step('resumeChat', async () => rejects(client.resumeChat(chat.id), null, 'resume a finished chat').then((e) => e.code))
  await step('createChat (older form)', async () => { const c = await client.createChat({ menu_id: 123, lang: 'en' }, { unsigned: { plan: { label: 'Plan', value: 'gold' } } }); return c.id })
  await step('destroyChat', async () => client.destroyChat())
  await step('createEmail', async () => shape(await client.createEmail(123, { lang: 'en', name: 'User name', email: 'name@example.com', content: 'description of the question', files: [new File(['hi'], 'a.txt', { type: 'text/plain' })] }), { id: 'number', type: 'string', status: 'string', attachment_count: 'number' }, 'email'))
  await step('createEmail (older form)', async () => shape(await client.createEmail({ menu_id: 123, lang: 'en', email: 'name@example.com', content: 'q' }), { id: 'number' }, 'email').id)
  await rejects(client.getWaitTimes('not-a-number'), 'invalid_argument', 'bad menu id')
  await client.destroy()
  return results
})
