import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';

/** An EventBridge client whose every call is answered by aws-sdk-client-mock: each entry seen. */
export const mockedEventBus = (): { bus: EventBridgeClient; busMock: ReturnType<typeof mockClient> } => {
  const bus = new EventBridgeClient({
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  return { bus, busMock: mockClient(bus) };
};
