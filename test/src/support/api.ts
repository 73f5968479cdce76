// The app's later calls to registration-api, authenticated with the instance token a hand-over
// returned: presence, stored messages and their acknowledgement, the instance as GET shows it.
// And the operator's view of an instance through the admin API.

export interface ApiAnswer<T> {
  readonly status: number;
  readonly body: T;
}

export interface StoredMessage {
  readonly id: string;
  readonly callId: string;
  readonly from: string;
  readonly to: string;
  readonly contentType: string;
  /** The octets, base64. */
  readonly body: string;
  readonly text: string | null;
  readonly receivedAt: string;
}

export interface InstanceApi {
  presence(deviceId: string, presence: 'foreground' | 'background'): Promise<ApiAnswer<unknown>>;
  messages(): Promise<ApiAnswer<{ readonly messages: readonly StoredMessage[] }>>;
  ack(ids: readonly string[]): Promise<ApiAnswer<{ readonly acknowledged: number }>>;
  instance(): Promise<ApiAnswer<{ readonly state: string; readonly mode: string }>>;
}

export function instanceApi(apiUrl: string, selector: string, instanceToken: string): InstanceApi {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> => {
    const response = await fetch(`${apiUrl}/instances/${selector}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${instanceToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
  };
  return {
    presence: (deviceId, presence) =>
      call('POST', `/devices/${encodeURIComponent(deviceId)}/presence`, { presence }),
    messages: () => call('GET', '/messages'),
    ack: (ids) => call('POST', '/messages/ack', { ids }),
    instance: () => call('GET', ''),
  };
}

/** An instance's row in the admin listing (`GET /v1/admin/instances`), or undefined. */
export async function adminInstance(
  apiUrl: string,
  adminToken: string,
  selector: string,
): Promise<{ readonly state: string; readonly shard: string | null } | undefined> {
  const response = await fetch(`${apiUrl}/admin/instances?limit=1000`, {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  if (response.status !== 200) throw new Error(`admin instances: ${response.status}`);
  const { instances } = (await response.json()) as {
    instances: { selector: string; state: string; shard: string | null }[];
  };
  return instances.find((i) => i.selector === selector);
}
