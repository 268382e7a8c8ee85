// A strict TypeScript consumer: compiles against the package's types with
// moduleResolution bundler and node16 (tsconfig.*.json); never run.
import { Client, ClientError, PostSessionStatus } from '@ccaip/headless';
import type { Chat, ClientEvents, MessageResponse } from '@ccaip/headless';
import { Widget } from '@ccaip/headless/widget';
import type { WidgetOptions } from '@ccaip/headless/widget';

export async function chat(host: string): Promise<number> {
  const client = new Client({
    companyId: 'demo',
    tenant: 'demo',
    host,
    sdkBase: 'https://cdn.example/ccaip/',
    authenticate: async () => ({ token: 'jwt' }),
  });
  const seen: MessageResponse[] = [];
  const off: () => void = client.on('chat.message', (m) => { seen.push(m); });
  client.on('connection.state', (s: ClientEvents['connection.state']) => console.log(s));
  const chat: Chat = await client.createChat(123, { lang: 'en' });
  await client.sendTextMessage('hello');
  const restored: Chat | null = await client.loadOngoingChat();
  await client.updatePostSession(PostSessionStatus.FINISHED);
  try {
    await client.finishChat();
  } catch (err) {
    if (err instanceof ClientError && err.retryable) console.log(err.code, err.status);
  }
  off();
  await client.destroy();
  return chat.id + (restored ? 1 : 0) + seen.length;
}

export function widget(): Widget {
  const options: WidgetOptions = { companyId: 'demo', tenant: 'demo', host: 'https://platform.example', tokenUrl: '/token' };
  const w = new Widget(options).mount('#chat');
  w.on('message', (m) => console.log(m.content));
  void w.start({ menuKey: 'direct' });
  return w;
}
