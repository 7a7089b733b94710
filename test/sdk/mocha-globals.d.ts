// The BDD globals web-test-runner's mocha provides in the browser (no @types/mocha installed).
type MochaDone = (error?: unknown) => void;
type MochaBody = (this: { timeout(ms: number): void }, done: MochaDone) => void | Promise<unknown>;
type MochaAsyncBody = (this: { timeout(ms: number): void }) => void | Promise<unknown>;

declare function describe(title: string, body: () => void): void;
declare function it(title: string, body?: MochaAsyncBody | MochaBody): void;
declare function before(body: MochaAsyncBody): void;
declare function after(body: MochaAsyncBody): void;
declare function beforeEach(body: MochaAsyncBody): void;
declare function afterEach(body: MochaAsyncBody): void;
