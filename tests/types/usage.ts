// Type test for glassix-wasm's declarations (never run; compiled by scripts/typecheck.mjs with
// `tsc --noEmit --strict` as a CommonJS and as an ES-module file, under node16, nodenext and
// bundler resolution). Typical calls must type-check; every `@ts-expect-error` line must be an
// error (tsc reports an unused `@ts-expect-error`, so a type that got too loose fails the check).

import GlassixClient, { GlassixError, formatDate, parseWebhook, verifyWebhook } from 'glassix-wasm';
import type {
  ClientOptions,
  CreateTicketRequest,
  ContactIdentifier,
  DeleteUserResponse,
  GlassixErrorKind,
  HeadersLike,
  ListTicketsParams,
  MessageResponse,
  PolledWebhookEvent,
  ProtocolMessage,
  RequestOptions,
  Tag,
  HttpMethod,
  RawRequestOptions,
  Ticket,
  TicketListResponse,
  TicketState,
  TicketIterator,
  TokenResponse,
  Transaction,
  User,
  UserInfoData,
  UserStatusResponse,
  WebhookEvent,
} from 'glassix-wasm';
import { DEFAULT_CREDENTIALS, DEFAULT_RULES, signWebhook, startSandbox } from 'glassix-wasm/sandbox';
import type { Sandbox, SandboxOptions, SandboxRequest, SandboxRules, SandboxState, SandboxStateSnapshot, SandboxStateUser } from 'glassix-wasm/sandbox';
import { exportTickets, DEFAULT_COLUMNS, checkpointPath } from 'glassix-wasm/export';
import type { ExportProgress, ExportResult } from 'glassix-wasm/export';
import { createRedisStore } from 'glassix-wasm/redis';
import type { RedisStoreOptions } from 'glassix-wasm/redis';

/** Compile-time equality of two types. */
type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
function assert<T extends true>(): T | void {}

declare const apiKey: string;
declare const apiSecret: string;
declare const rawBody: string;
declare const bytes: Uint8Array;
declare const nodeHeaders: { [name: string]: string | string[] | undefined; 'set-cookie'?: string[] };

export async function constructors(): Promise<void> {
  // options object, as glassix-js since 2023-07-31
  const client = new GlassixClient({ workspace: 'acme', apiKey, apiSecret, userName: 'api@acme.com' });
  // positional, as the glassix-js README
  new GlassixClient('acme', apiKey, apiSecret, 'v1.2', 'api@acme.com');
  new GlassixClient('acme', apiKey, apiSecret, undefined, 'api@acme.com', 'glassix-dev.com');
  // every option
  new GlassixClient({
    workspace: 'acme',
    apiKey,
    apiSecret,
    userName: 'api@acme.com',
    apiVersion: 1.2,
    domain: 'glassix-dev.com',
    headers: { 'x-automation-token': 'abc', 'x-maybe': process_env('X') },
    fetch: globalThis.fetch,
    timeout: 30_000,
    maxRetries: 0,
    maxConcurrency: 4,
    rateLimit: { requests: 10, perMs: 1000 },
    dangerouslyAllowBrowser: true,
  });
  new GlassixClient({
    baseUrl: 'https://acme.glassix.com',
    apiKey,
    apiSecret,
    userName: 'api@acme.com',
    fetch: (request) => fetch(request),
    rateLimit: async () => {},
  });
  // token-only clients (browsers): no apiKey/apiSecret
  new GlassixClient({ baseUrl: 'http://127.0.0.1:8080/api/v1.2', accessToken: 'token' });
  new GlassixClient({ workspace: 'acme', getAccessToken: () => 'token' });
  new GlassixClient({ workspace: 'acme', getAccessToken: async () => ({ access_token: 't', expires_in: 10800 }) });
  new GlassixClient({ workspace: 'acme', accessToken: 't', getAccessToken: async () => ({ accessToken: 't', expiresIn: 60 }) });
  const options: ClientOptions = { workspace: 'acme', apiKey, apiSecret, userName: 'u@acme.com' };
  new GlassixClient(options);

  // @ts-expect-error unknown option key (options are exact)
  new GlassixClient({ workspace: 'acme', apiKey, apiSecret, userName: 'u', timeoutMs: 5 });
  // @ts-expect-error credentials need userName
  new GlassixClient({ workspace: 'acme', apiKey, apiSecret });
  // @ts-expect-error workspace or baseUrl is needed
  new GlassixClient({ apiKey, apiSecret, userName: 'u' });
  // @ts-expect-error no credentials and no token
  new GlassixClient({ workspace: 'acme' });
  // @ts-expect-error apiKey without apiSecret (the client would then require all three)
  new GlassixClient({ workspace: 'acme', accessToken: 't', apiKey });
  // @ts-expect-error positional form needs userName
  new GlassixClient('acme', apiKey, apiSecret);
  // @ts-expect-error rateLimit needs perMs
  new GlassixClient({ workspace: 'acme', accessToken: 't', rateLimit: { requests: 10 } });

  // statics: the CommonJS export is the class with the helpers attached
  assert<Equal<typeof GlassixClient.default, typeof GlassixClient>>();
  assert<Equal<typeof GlassixClient.GlassixClient, typeof GlassixClient>>();
  assert<Equal<typeof GlassixClient.GlassixError, typeof GlassixError>>();
  const viaStatic: string = GlassixClient.formatDate(new Date());
  void viaStatic;
  void client;
}

declare function process_env(name: string): string | undefined;

export async function resources(client: GlassixClient): Promise<void> {
  // `user` is the glassix-js README's spelling of `users`: the same object
  const same: boolean = client.user === client.users;
  void same;
  assert<Equal<typeof client.user, typeof client.users>>();
  const root: string = client.toJSON().baseUrl;
  void root;
  const token = await client.getToken();
  assert<Equal<typeof token, TokenResponse>>();
  await client.getToken('other@acme.com');
  // any endpoint: what it resolves with is the caller's to name (unknown unless named)
  const tenantTags = await client.request<Tag[]>('GET', '/tenants/gettags', { query: { at: new Date(), ids: [1, 2], skip: null }, timeout: 5000 });
  assert<Equal<typeof tenantTags, Tag[]>>();
  const anything = await client.request('POST', '/x/y', { body: { a: 1 }, headers: { 'x-trace': 'a' } });
  assert<Equal<typeof anything, unknown>>();
  await client.request('PUT', '/x', { body: [1, 2] });
  await client.request('DELETE', '/x', { body: new FormData() });
  // a body typed by an interface (the package's own), and a lower-case method
  const create: CreateTicketRequest = { participants: [] };
  await client.request('post', '/tickets/create', { body: create });
  const m: HttpMethod = 'GET';
  const ro: RawRequestOptions = { query: { a: 'b' }, signal: new AbortController().signal };
  await client.request(m, '/x', ro);

  const ac = new AbortController();
  const o: RequestOptions = { signal: ac.signal, timeout: 5000, maxRetries: 1, headers: { 'x-trace': 'a', 'x-attempt': 1, 'x-dry-run': false } };

  // tickets
  const created = await client.tickets.create(
    {
      participants: [{ type: 'Client', protocolType: 'Mail', subProtocolType: 'MailTo', name: 'Dana', identifier: 'dana@example.com' }],
      field1: 'Subject',
      tags: ['VIP'],
      details: { source: { title: 'CRM', uri: 'https://crm.example.com/1' } },
    },
    o,
  );
  assert<Equal<typeof created, Ticket>>();
  const ticket = await client.tickets.get(created.id);
  await client.tickets.get('160000001', o);
  const firstName: string | null | undefined = ticket.participants?.[0]?.name;
  void firstName;
  const tx = await client.tickets.send(ticket.id, { text: 'Hello', files: ['https://files/x.pdf'], quickReplies: [{ title: 'Yes' }] });
  assert<Equal<typeof tx, Transaction>>();
  const stateResult = await client.tickets.setState(ticket.id, { nextState: 'Closed', getTicket: true, summary: 'done', tags: ['VIP'] });
  assert<Equal<typeof stateResult, Ticket | MessageResponse | null>>();
  if (stateResult && 'id' in stateResult) {
    const closed: Ticket = stateResult;
    void closed;
  }
  const fields = await client.tickets.setFields(ticket.id, { field2: 'x', uniqueArgument: 'crm-1' });
  assert<Equal<typeof fields, unknown>>();
  await client.tickets.setParticipantName(ticket.id, { id: 1, name: 'Dana C.' });
  await client.tickets.setOwner(ticket.id, { nextOwnerUserName: 'alice@acme.com', keepCurrentOwnerInConversation: true });
  await client.tickets.assignAvailableUser(ticket.id, o);
  const moved: number = (await client.tickets.setDepartment(ticket.id, { departmentId: apiKey })).ticketId;
  void moved;
  const tags: string[] = await client.tickets.addTags(ticket.id, ['VIP', 'Sales']);
  const left: string[] = await client.tickets.removeTag(ticket.id, { tag: 'VIP' });
  void tags, left;
  await client.tickets.addNote(ticket.id, { html: '<b>note</b>' });
  await client.tickets.scramble(ticket.id);
  const pdf = await client.tickets.pdf(ticket.id, { includeNotes: false, fontSizeInPixels: 12 });
  assert<Equal<typeof pdf, Uint8Array>>();
  await client.tickets.pdf(ticket.id);
  await client.tickets.pdf(ticket.id, undefined, o);
  const html: string = await client.tickets.html(ticket.id);
  void html;
  const link: string = (await client.tickets.generateSurveyLink(ticket.id, { surveyId: 3 })).surveyLink;
  void link;
  await client.tickets.setSummary(ticket.id, { summary: 'Refund issued' });

  // list (all pages) and iterate (lazy)
  const params: ListTicketsParams = { since: new Date('2026-01-01'), until: '31/01/2026 23:59:59:99', ticketState: ['Open', 'Pending'], sortOrder: 'DESC' };
  const all = await client.tickets.list(params, o);
  assert<Equal<typeof all, Ticket[]>>();
  await client.tickets.list({ since: formatDate(Date.now() - 86_400_000), until: formatDate(new Date()), page: 'opaque' });
  const it = client.tickets.iterate(params, { signal: ac.signal });
  assert<Equal<typeof it, TicketIterator>>();
  const asStd: AsyncIterableIterator<Ticket> = it;
  void asStd;
  for await (const t of client.tickets.iterate(params)) {
    assert<Equal<typeof t, Ticket>>();
    if (t.state === 'Snoozed') break;
  }
  const step = await it.next();
  if (!step.done) {
    const id: number = step.value.id;
    void id;
  }
  await it.return();

  // users (and the `user` alias)
  const users = await client.users.getAll();
  assert<Equal<typeof users, User[]>>();
  const email: string = users[0]!.UserName;
  void email;
  await client.user.setStatus({ nextStatus: 'Break2' });
  const status = await client.users.getStatus();
  assert<Equal<typeof status, UserStatusResponse>>();
  const logs = await client.users.getStatusLogs({ since: new Date(), until: '24/11/2026', userId: apiKey });
  assert<Equal<typeof logs, UserInfoData[]>>();
  await client.users.add([{ userName: 'new@acme.com', uniqueArgument: 'n1' }], { userType: 'AGENT', role: 'SystemUser' });
  const deleted = await client.users.delete({ userName: 'old@acme.com' });
  assert<Equal<typeof deleted, DeleteUserResponse>>();
  // (both casings, neither required: the casing on the wire is unproven)
  const from: string[] = deleted.DeletedFromDepartments ?? deleted.deletedFromDepartments ?? [];
  void from;
  await client.users.setUniqueArgument({ nextUniqueArgument: 'api-user' });
  await client.users.update({ shortName: 'API' });
  const byArg: User = await client.users.getByUniqueArgument({ uniqueArgument: 'agent-alice' });
  void byArg;
  await client.users.setRoles(['SystemUser', 'WhatsApp'], { userName: 'alice@acme.com' });

  // tenants
  const online: boolean = await client.tenants.isOnline({ departmentId: apiKey, protocolType: 'WhatsApp' });
  await client.tenants.isOnline({ departmentId: apiKey }, o);
  // @ts-expect-error departmentId is required (the client refuses the call before sending)
  await client.tenants.isOnline();
  void online;
  const tagList = await client.tenants.getTags();
  assert<Equal<typeof tagList, Tag[]>>();
  const tagName: string | undefined = tagList[0]?.Name ?? tagList[0]?.name;
  void tagName;

  // contacts
  const contactId = ticket.participants?.[0]?.contactId ?? '0f8fad5b-d9cb-469f-a165-70867728950e';
  const contact = await client.contacts.get(contactId);
  const ident: ContactIdentifier | undefined = contact.identifiers?.[0];
  await client.contacts.setName(contact.id, { nextName: 'Dana' });
  await client.contacts.addIdentifier(contact.id, { identifierType: 'MailAddress', identifier: 'd@example.com', forceMerge: true });
  await client.contacts.setUniqueArgument(contact.id, { nextUniqueArgument: 'crm-1001' });
  if (ident) await client.contacts.deleteIdentifier(contact.id, { contactIdentifierId: ident.id });

  // canned replies, interactive documents, protocols, phone calls, files
  const replies = await client.cannedReplies.getAll();
  const replyId: number = replies[0]!.id;
  await client.cannedReplies.add({ id: 0, title: 'Hi', text: 'Hello!', autoTags: ['VIP'], isPublished: true });
  await client.cannedReplies.delete({ cannedReplyId: replyId });
  await client.interactiveDocuments.send(ticket.id, { baseTemplateId: 7, message: 'Please sign', fields: [{ type: 'Text', name: 'fullName', value: 'Dana' }] });
  const sent = await client.protocols.send({ protocolType: 'WhatsApp', from: '15550000001', to: '972500000001', text: 'Hi' });
  assert<Equal<typeof sent, ProtocolMessage>>();
  await client.phoneCalls.started(ticket.id, { dateTime: new Date() });
  await client.phoneCalls.ended(ticket.id, { dateTime: '24/12/2020 11:20:00:22' });
  await client.phoneCalls.audioLink(ticket.id, { audioUri: 'https://rec/1.mp3' });
  const form = new FormData();
  form.append('0', new Blob(['x']), 'x.txt');
  const uploaded = await client.files.upload(form, o);
  assert<Equal<typeof uploaded, unknown>>();

  // webhooks: polling
  const events = await client.webhooks.getevents({ deleteEvents: false });
  assert<Equal<typeof events, PolledWebhookEvent[]>>();
  await client.webhooks.getevents();
  const again = await client.webhooks.getEvents({ deleteEvents: false }, o);
  await client.webhooks.deleteEvents(again);
  const handle: string = events[0]!.queueReceiptHandle;
  void handle;
  const stop = new AbortController();
  const done: Promise<void> = client.webhooks.consume(
    async (event) => {
      assert<Equal<typeof event, PolledWebhookEvent>>();
      for (const change of event.changes ?? []) {
        if (change._event === 'NEW_MESSAGE') void change.transaction?.text;
      }
    },
    {
      signal: stop.signal,
      intervalMs: 1000,
      onError: (error, event) => {
        if (error instanceof GlassixError) void error.kind;
        void event?.queueMessageId;
      },
    },
  );
  stop.abort();
  await done;
  const okSig: boolean = client.webhooks.verify(rawBody, nodeHeaders);
  void okSig;
}

// a subclass may name itself (the runtime's instanceof keeps the ordinary check for it)
export class StoreError extends GlassixError {
  override name = 'StoreError';
}

export async function errors(client: GlassixClient): Promise<void> {
  try {
    await client.tickets.get(1);
  } catch (err) {
    if (err instanceof GlassixError) {
      assert<Equal<typeof err.kind, GlassixErrorKind>>();
      const name: string = err.name;
      const message: string = err.message;
      const code: number | undefined = err.code;
      const body: unknown = err.body;
      void name, message, code, body;
      if (err.kind === 'http' && err.status === 429) {
        const wait: number | undefined = err.retryAfter;
        void wait;
      }
      switch (err.kind) {
        case 'http':
        case 'network':
        case 'timeout':
        case 'aborted':
        case 'invalid_argument':
        case 'parse':
          break;
        default: {
          const exhaustive: never = err.kind;
          void exhaustive;
        }
      }
      // @ts-expect-error not a kind
      if (err.kind === 'http_error') return;
      // @ts-expect-error body is unknown, not any
      const n: number = err.body;
      void n;
    }
  }
  const own = new GlassixError('token service down', { kind: 'network', cause: new Error('ECONNRESET') });
  const asError: Error = own;
  void asError;
}

export async function rejected(client: GlassixClient, events: PolledWebhookEvent[]): Promise<void> {
  // @ts-expect-error ticket id as an object
  await client.tickets.get({ id: 1 });
  // @ts-expect-error setState needs nextState
  await client.tickets.setState(1, { summary: 'x' });
  // @ts-expect-error Snoozed cannot be set through setState
  await client.tickets.setState(1, { nextState: 'Snoozed' });
  // @ts-expect-error addTags takes an array, not a string
  await client.tickets.addTags(1, 'VIP');
  // @ts-expect-error pdf resolves with bytes, not a string
  const pdfText: string = await client.tickets.pdf(1);
  void pdfText;
  // @ts-expect-error unknown per-call option
  await client.tickets.get(1, { timeoutMs: 5 });
  // @ts-expect-error iterate returns an iterator, not a promise
  await client.tickets.iterate({ since: new Date(), until: new Date() }).then(() => {});
  // @ts-expect-error list needs until
  await client.tickets.list({ since: new Date() });
  // @ts-expect-error since is a Date or a dd/MM/yyyy string, not epoch ms
  await client.tickets.list({ since: 0, until: new Date() });
  // @ts-expect-error setFields resolves with an unknown body
  (await client.tickets.setFields(1, {})).message;
  // @ts-expect-error participants are required
  await client.tickets.create({ field1: 'no participants' });
  // @ts-expect-error not a user status
  await client.users.setStatus({ nextStatus: 'Away' });
  // @ts-expect-error not a user type
  await client.users.add([{ userName: 'x@acme.com' }], { userType: 'HUMAN', role: 'SystemUser' });
  // @ts-expect-error contactIdentifierId is a number
  await client.contacts.deleteIdentifier('0f8fad5b-d9cb-469f-a165-70867728950e', { contactIdentifierId: '5' });
  // @ts-expect-error the glassix-js README's `deleteEvent` typo is caught
  await client.webhooks.getevents({ deleteEvent: true });
  // @ts-expect-error deleteEvents needs polled events (queueReceiptHandle, queueMessageId)
  await client.webhooks.deleteEvents([{ key: 'k' }]);
  // @ts-expect-error a phone-call dateTime is a Date or a Glassix date string
  await client.phoneCalls.started(1, { dateTime: 1700000000000 });
  // @ts-expect-error upload takes a FormData
  await client.files.upload({ file: 'x' });
  // @ts-expect-error getToken takes a user name
  await client.getToken(5);
  // @ts-expect-error request's method is one of the four the API uses
  await client.request('PATCH', '/x');
  // @ts-expect-error request's options are a call's with query and body
  await client.request('GET', '/x', { params: {} });
  // @ts-expect-error a query value is a string, number, boolean or Date (or an array of them)
  await client.request('GET', '/x', { query: { a: {} } });
  // @ts-expect-error methods with no payload take only options
  await client.users.getAll({ deleteEvents: true });
  // @ts-expect-error verify needs the raw body, not the parsed JSON
  verifyWebhook({ key: 'k' }, nodeHeaders, 'secret');
  void events;
}

export async function webhookHelpers(client: GlassixClient): Promise<void> {
  const fromNode: boolean = verifyWebhook(rawBody, nodeHeaders, 'secret');
  const fromFetch: boolean = verifyWebhook(bytes, new Headers(), 'secret', { toleranceMs: 60_000, now: new Date() });
  const fromBuffer: boolean = verifyWebhook(bytes.buffer as ArrayBuffer, { 'x-hub-signature': 'sha1=00' }, 'secret', { now: Date.now() });
  void fromNode, fromFetch, fromBuffer;
  const h: HeadersLike = nodeHeaders;
  void h;
  const parsed = parseWebhook(rawBody);
  assert<Equal<typeof parsed, WebhookEvent[]>>();
  for (const event of parseWebhook(bytes)) {
    for (const change of event.changes ?? []) {
      if (change._event === 'TICKET_STATE_CHANGE' && change.ticketState === 'Closed') void change.ticket?.id;
    }
  }
  const formatted: string = formatDate(Date.now());
  void formatted, client;
}

export async function sandbox(): Promise<void> {
  const sb: Sandbox = await startSandbox({ pageSize: 10, faults: { latencyMs: 5, rateLimit: { requests: 10, perMs: 1000 } } });
  const client = new GlassixClient({ baseUrl: sb.baseUrl, ...sb.credentials });
  await client.tickets.list({ since: new Date(0), until: new Date() });
  sb.setFaults({ burst429: 2, tokenThrottle: null });
  const last: SandboxRequest | undefined = sb.requests.at(-1);
  const path: string | undefined = last?.path;
  void path;
  const token: string = sb.issueToken();
  new GlassixClient({ baseUrl: sb.baseUrl, accessToken: token });
  const body = JSON.stringify({ key: 'k', changes: [] });
  const signed = signWebhook(sb.credentials.apiSecret, body);
  const valid: boolean = verifyWebhook(body, signed, DEFAULT_CREDENTIALS.apiSecret);
  void valid;
  // sb.faults is a copy: read-only (setFaults changes the faults, and takes a saved copy back)
  const savedFaults = sb.faults;
  // @ts-expect-error writing to the copy would change nothing
  sb.faults.latencyMs = 5;
  // @ts-expect-error nor to its arrays
  sb.faults.failureStatuses.push(500);
  sb.setFaults(savedFaults);
  sb.reset({ tokens: true });
  await sb.close();
  // AsyncDisposable: the same as close() (`await using` itself: node-types.ts, whose lib has the Disposable types)
  const dispose: () => Promise<void> = sb[Symbol.asyncDispose];
  await dispose.call(sb);
  // @ts-expect-error unknown sandbox option
  await startSandbox({ prot: 1 });
  // the API's date forms or toISOString(); every unverified behaviour is a rule
  const rules: SandboxRules = { sortAsc: 'oldest-first', protocolStatuses: ['Sent', 'Read'], ruleStatus: 409, eventTypes: ['NEW_TICKET'] };
  const sb2 = await startSandbox({ dateFormat: 'iso', rules });
  const asc: 'newest-first' | 'oldest-first' = sb2.rules.sortAsc;
  const fmt: 'dotnet' | 'iso' = sb2.dateFormat;
  const dflt: boolean = DEFAULT_RULES.cors;
  void asc, fmt, dflt;
  // @ts-expect-error not a date format
  await startSandbox({ dateFormat: 'unix' });
  // a random source or a seed for one (not both: refused at run time with a TypeError)
  await startSandbox({ random: Math.random });
  await startSandbox({ randomSeed: 7 });
  // the package's own option type fits as a variable, and can be extended
  const sandboxOptions: SandboxOptions = { port: 0, randomSeed: 7 };
  await (await startSandbox(sandboxOptions)).close();
  interface MyOptions extends SandboxOptions {
    label: string;
  }
  const mine: MyOptions = { label: 'x', pageSize: 5 };
  const { label: _label, ...rest } = mine;
  await (await startSandbox(rest)).close();
  const polled: PolledWebhookEvent[] = sb2.events();
  void polled;
  // @ts-expect-error not a value of the rule
  await startSandbox({ rules: { sendToClosed: 'maybe' } });
  // @ts-expect-error unknown rule
  await startSandbox({ rules: { noSuchRule: true } });
  // handle.state is the stored model, typed as the sandbox README's SandboxState: dates in epoch
  // ms, the owner by id, the API's forms through renderTicket() and snapshot()
  const state: SandboxState = sb2.state;
  for (const t of state.tickets.values()) {
    const open: number = t.open;
    const closed: number | null = t.close;
    const ticketState: TicketState = t.state;
    const owner: SandboxStateUser | undefined = t.ownerId === null ? undefined : state.users.get(t.ownerId);
    const roles: string[] | undefined = owner?.memberships.get(t.departmentId)?.roles;
    const sentAt: number | undefined = t.transactions[0]?.time;
    const rendered: Ticket = state.renderTicket(t, { transactions: false });
    void open, closed, ticketState, roles, sentAt, rendered.id;
    // @ts-expect-error a stored date is epoch ms, not the API's string
    const openText: string = t.open;
    void openText;
  }
  // @ts-expect-error tickets are keyed by their numeric id
  state.tickets.get('160000001');
  const statusLog: number | undefined = state.users.get('x')?.statusLog[0]?.t;
  const snapshot: SandboxStateSnapshot = state.snapshot();
  const firstId: number | undefined = snapshot.tickets[0]?.id;
  void statusLog, firstId, state.events.length, state.nonTicketMessages[0]?.time, state.files.get('x')?.data.byteLength;
}

export function modelsAsTheApiSendsThem(page: TicketListResponse, ticket: Ticket, sent: ProtocolMessage): void {
  // paging may be null on the last page
  const next: string | null | undefined = page.paging?.next;
  // @ts-expect-error paging may be null
  void page.paging.next;
  // Undefined is a state a ticket may carry, but not one to create or filter by
  const state: TicketState = 'Undefined';
  // @ts-expect-error not a state to create a ticket with
  const create: ListTicketsParams = { since: new Date(), until: new Date(), ticketState: 'Undefined' };
  // the owner is often partial: only id and UserName are required
  const ownerName: string | undefined = ticket.owner?.UserName;
  const html: string | null | undefined = sent.html;
  void next, state, create, ownerName, html;
}

export async function exporting(client: GlassixClient): Promise<void> {
  const controller = new AbortController();
  const result: ExportResult = await exportTickets({
    client,
    since: '2025-01-01',
    until: new Date(),
    format: 'csv',
    columns: ['id', 'state', ...DEFAULT_COLUMNS.slice(2, 4)],
    state: ['Open', 'Closed'],
    out: 'tickets.csv',
    onProgress: (p: ExportProgress) => void p.etaMs,
    signal: controller.signal,
  });
  const n: number = result.ticketsWritten;
  const file: string = checkpointPath('tickets.csv');
  void n, file;
  await exportTickets({ client, since: new Date(0), out: { write: (_chunk: Uint8Array, cb: (e?: Error | null) => void) => cb() } });
  // @ts-expect-error format is 'ndjson' or 'csv'
  await exportTickets({ client, since: '2025-01-01', out: 'x', format: 'xml' });
  // @ts-expect-error out is required
  await exportTickets({ client, since: '2025-01-01' });
  // @ts-expect-error unknown option
  await exportTickets({ client, since: '2025-01-01', out: 'x', resume: true });
}

export function sharing(): void {
  // the two libraries' clients as far as the store uses them (tests/types/redis-clients.ts
  // checks the real ioredis and node-redis types)
  const ioredis = { evalsha: async (..._args: unknown[]) => null, eval: async (..._args: unknown[]) => null, status: 'ready' };
  const nodeRedis = { evalSha: async (_sha: string, _o: { keys: string[]; arguments: string[] }) => null, eval: async (_s: string, _o: object) => null, isOpen: true };
  const options: RedisStoreOptions = { prefix: 'glassix:acme', commandTimeout: 1000, lockMs: 5000, leaseMs: 10_000 };
  const store = createRedisStore(ioredis, options);
  new GlassixClient({ workspace: 'acme', apiKey, apiSecret, userName: 'api@acme.com', rateLimit: { requests: 500, perMs: 60_000 }, store });
  new GlassixClient({ workspace: 'acme', apiKey, apiSecret, userName: 'api@acme.com', store: createRedisStore(nodeRedis, { prefix: 'p' }) });
  // @ts-expect-error not a Redis client
  createRedisStore({ get: async () => null }, { prefix: 'p' });
  // @ts-expect-error the script methods alone are not a client (a pipeline has them too; the store reads the connection's state)
  createRedisStore({ evalsha: async () => null, eval: async () => null }, { prefix: 'p' });
  // @ts-expect-error prefix is required
  createRedisStore(ioredis, {});
  // @ts-expect-error unknown option
  createRedisStore(ioredis, { prefix: 'p', timeout: 5 });
}
