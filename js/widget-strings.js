// The widget's strings, one table per language; a missing key falls back
// to English. {0}, {1} are filled in by t(). Options.strings overrides
// single keys.
export const STRINGS = {
  en: {
    title: 'Chat with us', close: 'Minimize chat', loading: 'Loading…', starting: 'Starting chat…',
    error: 'Something went wrong: {0}', tryAgain: 'Try again', help: 'How can we help?', helpSub: 'Pick a topic and we will connect you.',
    noWait: 'No wait', wait: '~{0} min wait', elsewhere: 'This topic is handled elsewhere:', noChat: 'Chat is not available for this topic.',
    messages: 'Messages', message: 'Message', placeholder: 'Type a message…', send: 'Send', attach: 'Attach a file',
    human: 'Talk to a person', end: 'End chat', newMsgs: 'New messages', typing: '{0} is typing', agent: 'Agent', assistant: 'Assistant', you: 'You',
    sending: 'Sending…', sent: 'Sent', waiting: 'Waiting for connection…', failed: 'Not sent', retry: 'Retry',
    connecting: 'Connecting…', online: 'Online', reconnecting: 'Reconnecting…', offline: 'Offline', replyTime: 'We usually reply in a few minutes',
    queued: 'Waiting for an agent', queuePos: 'You are number {0} in line', queueNote: 'Stay on this page; we will be with you shortly.',
    deflectAsk: 'No agent can take the chat right now. What would you like to do?', deflectWait: 'Thanks for waiting. No agent is free yet. What would you like to do?',
    otherWays: 'Other ways to get help', keepWaiting: 'Keep waiting', backToVA: 'Back to the assistant', emailUs: 'Email us instead',
    name: 'Name (optional)', email: 'Email', question: 'Your question', sendEmail: 'Send email',
    ended: 'The chat has ended.', timedOut: 'The chat timed out.', emailThanks: 'Thanks — we will answer your email.', continues: 'The conversation continues elsewhere.',
    paused: 'The chat was paused because it was idle.', resume: 'Resume chat',
    rate: 'How was this chat?', rating: 'Rating', star: '{0} of 5', feedback: 'Feedback (optional)', sendRating: 'Send rating', rated: 'Thanks for your rating.', pickRating: 'Pick a rating first.',
    survey: 'A few questions', sendAnswers: 'Send answers', thanks: 'Thank you!',
    transcript: 'Transcript', transcriptEmail: 'Email address for the transcript', emailIt: 'Email it', pdf: 'Download PDF', transcriptSent: 'Transcript sent.',
    newChat: 'Start a new chat', tooBig: '{0} is larger than {1} MB.', notAllowed: '.{0} files are not allowed.', notSent: 'Could not send {0}.',
    download: 'Download {0}', drop: 'Drop a file to send it', formSent: 'Form sent.', submit: 'Submit', answer: 'Answer', open: 'Open', unread: '{0} unread',
    someone: 'Someone', lookingForAgent: 'Looking for an agent…', agentJoined: 'An agent joined the chat.', noAgent: 'No agent is available right now.',
    joined: '{0} joined the chat.', left: '{0} left the chat.', chatPaused: 'The chat was paused.', resumed: 'The chat resumed.',
    formAsked: 'The agent sent you a form.', formDone: 'Form completed.', notAvailable: 'The attachment is not available.', notReady: 'The transcript is not ready yet.'
  },
  it: {
    title: 'Scrivici', close: 'Riduci la chat', loading: 'Caricamento…', starting: 'Avvio della chat…',
    error: 'Qualcosa è andato storto: {0}', tryAgain: 'Riprova', help: 'Come possiamo aiutarti?', helpSub: 'Scegli un argomento e ti mettiamo in contatto.',
    noWait: 'Nessuna attesa', wait: '~{0} min di attesa', elsewhere: 'Questo argomento è gestito altrove:', noChat: 'La chat non è disponibile per questo argomento.',
    messages: 'Messaggi', message: 'Messaggio', placeholder: 'Scrivi un messaggio…', send: 'Invia', attach: 'Allega un file',
    human: 'Parla con una persona', end: 'Termina la chat', newMsgs: 'Nuovi messaggi', typing: '{0} sta scrivendo', agent: 'Operatore', assistant: 'Assistente', you: 'Tu',
    sending: 'Invio…', sent: 'Inviato', waiting: 'In attesa di connessione…', failed: 'Non inviato', retry: 'Riprova',
    connecting: 'Connessione…', online: 'Online', reconnecting: 'Riconnessione…', offline: 'Offline', replyTime: 'Di solito rispondiamo in pochi minuti',
    queued: 'In attesa di un operatore', queuePos: 'Sei il numero {0} in coda', queueNote: 'Resta su questa pagina; arriviamo presto.',
    deflectAsk: 'Nessun operatore può rispondere ora. Cosa preferisci fare?', deflectWait: 'Grazie per l’attesa. Nessun operatore è ancora libero. Cosa preferisci fare?',
    otherWays: 'Altri modi per ricevere aiuto', keepWaiting: 'Continua ad attendere', backToVA: 'Torna all’assistente', emailUs: 'Scrivici un’email',
    name: 'Nome (facoltativo)', email: 'Email', question: 'La tua domanda', sendEmail: 'Invia email',
    ended: 'La chat è terminata.', timedOut: 'La chat è scaduta.', emailThanks: 'Grazie, risponderemo alla tua email.', continues: 'La conversazione continua altrove.',
    paused: 'La chat è in pausa per inattività.', resume: 'Riprendi la chat',
    rate: 'Com’è andata la chat?', rating: 'Valutazione', star: '{0} su 5', feedback: 'Commento (facoltativo)', sendRating: 'Invia valutazione', rated: 'Grazie per la valutazione.', pickRating: 'Scegli prima una valutazione.',
    survey: 'Qualche domanda', sendAnswers: 'Invia risposte', thanks: 'Grazie!',
    transcript: 'Trascrizione', transcriptEmail: 'Indirizzo email per la trascrizione', emailIt: 'Invia per email', pdf: 'Scarica PDF', transcriptSent: 'Trascrizione inviata.',
    newChat: 'Nuova chat', tooBig: '{0} supera {1} MB.', notAllowed: 'I file .{0} non sono ammessi.', notSent: 'Impossibile inviare {0}.',
    download: 'Scarica {0}', drop: 'Rilascia un file per inviarlo', formSent: 'Modulo inviato.', submit: 'Invia', answer: 'Risposta', open: 'Apri', unread: '{0} non letti',
    someone: 'Qualcuno', lookingForAgent: 'Cerchiamo un operatore…', agentJoined: 'Un operatore è entrato nella chat.', noAgent: 'Nessun operatore disponibile ora.',
    joined: '{0} è entrato nella chat.', left: '{0} ha lasciato la chat.', chatPaused: 'La chat è in pausa.', resumed: 'La chat è ripresa.',
    formAsked: 'L’operatore ti ha inviato un modulo.', formDone: 'Modulo compilato.', notAvailable: 'L’allegato non è disponibile.', notReady: 'La trascrizione non è ancora pronta.'
  },
  ar: {
    title: 'تحدث معنا', close: 'تصغير المحادثة', loading: 'جارٍ التحميل…', starting: 'جارٍ بدء المحادثة…',
    error: 'حدث خطأ: {0}', tryAgain: 'حاول مرة أخرى', help: 'كيف يمكننا مساعدتك؟', helpSub: 'اختر موضوعًا وسنوصلك بالشخص المناسب.',
    noWait: 'بلا انتظار', wait: '~{0} دقيقة انتظار', elsewhere: 'يُعالَج هذا الموضوع في مكان آخر:', noChat: 'المحادثة غير متاحة لهذا الموضوع.',
    messages: 'الرسائل', message: 'رسالة', placeholder: 'اكتب رسالة…', send: 'إرسال', attach: 'إرفاق ملف',
    human: 'التحدث مع موظف', end: 'إنهاء المحادثة', newMsgs: 'رسائل جديدة', typing: '{0} يكتب الآن', agent: 'موظف', assistant: 'المساعد', you: 'أنت',
    sending: 'جارٍ الإرسال…', sent: 'تم الإرسال', waiting: 'في انتظار الاتصال…', failed: 'لم يُرسَل', retry: 'إعادة المحاولة',
    connecting: 'جارٍ الاتصال…', online: 'متصل', reconnecting: 'جارٍ إعادة الاتصال…', offline: 'غير متصل', replyTime: 'نرد عادةً خلال دقائق',
    queued: 'في انتظار موظف', queuePos: 'ترتيبك {0} في قائمة الانتظار', queueNote: 'ابقَ في هذه الصفحة؛ سنكون معك قريبًا.',
    deflectAsk: 'لا يوجد موظف متاح الآن. ماذا تريد أن تفعل؟', deflectWait: 'شكرًا على انتظارك. لا يوجد موظف متاح بعد. ماذا تريد أن تفعل؟',
    otherWays: 'طرق أخرى للحصول على المساعدة', keepWaiting: 'متابعة الانتظار', backToVA: 'العودة إلى المساعد', emailUs: 'راسلنا بالبريد الإلكتروني',
    name: 'الاسم (اختياري)', email: 'البريد الإلكتروني', question: 'سؤالك', sendEmail: 'إرسال البريد',
    ended: 'انتهت المحادثة.', timedOut: 'انتهت مهلة المحادثة.', emailThanks: 'شكرًا، سنرد على بريدك الإلكتروني.', continues: 'تستمر المحادثة في مكان آخر.',
    paused: 'أُوقفت المحادثة مؤقتًا لعدم النشاط.', resume: 'استئناف المحادثة',
    rate: 'كيف كانت المحادثة؟', rating: 'التقييم', star: '{0} من 5', feedback: 'ملاحظات (اختياري)', sendRating: 'إرسال التقييم', rated: 'شكرًا على تقييمك.', pickRating: 'اختر تقييمًا أولًا.',
    survey: 'بعض الأسئلة', sendAnswers: 'إرسال الإجابات', thanks: 'شكرًا لك!',
    transcript: 'نص المحادثة', transcriptEmail: 'البريد الإلكتروني لنص المحادثة', emailIt: 'إرساله بالبريد', pdf: 'تنزيل PDF', transcriptSent: 'تم إرسال نص المحادثة.',
    newChat: 'بدء محادثة جديدة', tooBig: '{0} أكبر من {1} ميغابايت.', notAllowed: 'ملفات .{0} غير مسموح بها.', notSent: 'تعذّر إرسال {0}.',
    download: 'تنزيل {0}', drop: 'أفلت ملفًا لإرساله', formSent: 'تم إرسال النموذج.', submit: 'إرسال', answer: 'الإجابة', open: 'فتح', unread: '{0} غير مقروءة',
    someone: 'شخص ما', lookingForAgent: 'نبحث عن موظف…', agentJoined: 'انضم موظف إلى المحادثة.', noAgent: 'لا يوجد موظف متاح الآن.',
    joined: 'انضم {0} إلى المحادثة.', left: 'غادر {0} المحادثة.', chatPaused: 'أُوقفت المحادثة مؤقتًا.', resumed: 'استؤنفت المحادثة.',
    formAsked: 'أرسل إليك الموظف نموذجًا.', formDone: 'تم إكمال النموذج.', notAvailable: 'المرفق غير متاح.', notReady: 'نص المحادثة غير جاهز بعد.'
  }
}

// RTL lists the languages written right to left.
export const RTL = ['ar', 'he', 'fa', 'ur']
