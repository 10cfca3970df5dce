import { DescribeGlobalClustersCommand, GlobalClusterNotFoundFault, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { clusterRole, handler, publish, readConfig, RoleConfig } from '../../src/dr-alarms/global-cluster-role.lambda';

const rdsMock = mockClient(RDSClient);
const GLOBAL = 'dr-aurora-global-prod';
const EAST = 'arn:aws:rds:us-east-1:111111111111:cluster:dr-aurora-prod';
const WEST = 'arn:aws:rds:us-west-2:111111111111:cluster:dr-aurora-prod';
const CONFIG: RoleConfig = { globalClusterIdentifier: GLOBAL, clusterArn: WEST };
const client = new RDSClient({ region: 'us-west-2' });
/** A clock whose sleeps pass at once, counting them. */
function fakeClock() {
  const clock = { t: 0, sleeps: 0, now: () => clock.t, sleep: async (ms: number) => { clock.t += ms; clock.sleeps++; } };
  return clock;
}

function members(writer: string, ...others: string[]) {
  return {
    GlobalClusters: [{
      GlobalClusterIdentifier: GLOBAL,
      GlobalClusterMembers: [
        { DBClusterArn: writer, IsWriter: true, Readers: others },
        ...others.map((arn) => ({ DBClusterArn: arn, IsWriter: false })),
      ],
    }],
  };
}

function throttle(): Error {
  const e = new Error('Rate exceeded');
  e.name = 'Throttling';
  return e;
}

beforeEach(() => rdsMock.reset());

describe('clusterRole', () => {
  test('the writer: this region\'s member is the global cluster\'s writer', async () => {
    rdsMock.on(DescribeGlobalClustersCommand).resolves(members(WEST, EAST));
    await expect(clusterRole(client, CONFIG, { clock: fakeClock() })).resolves.toBe('writer');
    expect(rdsMock.commandCalls(DescribeGlobalClustersCommand).map((c) => c.args[0].input)).toEqual([{ GlobalClusterIdentifier: GLOBAL }]);
  });

  test('a secondary: this region\'s member is listed, not as the writer', async () => {
    rdsMock.on(DescribeGlobalClustersCommand).resolves(members(EAST, WEST));
    await expect(clusterRole(client, CONFIG, { clock: fakeClock() })).resolves.toBe('secondary');
  });

  test.each([
    ['after a switch: the roles swap and the answer follows', EAST, WEST, 'secondary', 'writer'],
    ['after a switch back', WEST, EAST, 'writer', 'secondary'],
  ])('%s', async (_name, writerBefore, writerAfter, before, after) => {
    rdsMock.on(DescribeGlobalClustersCommand)
      .resolvesOnce(members(writerBefore, writerBefore === EAST ? WEST : EAST))
      .resolvesOnce(members(writerAfter, writerAfter === EAST ? WEST : EAST));
    await expect(clusterRole(client, CONFIG, { clock: fakeClock() })).resolves.toBe(before);
    await expect(clusterRole(client, CONFIG, { clock: fakeClock() })).resolves.toBe(after);
  });

  test('a cluster that is not a member is a clear error naming the members, not a role', async () => {
    const other = 'arn:aws:rds:eu-west-1:111111111111:cluster:dr-aurora-prod';
    rdsMock.on(DescribeGlobalClustersCommand).resolves(members(EAST, other));
    await expect(clusterRole(client, CONFIG, { clock: fakeClock() })).rejects.toThrow(
      `the cluster ${WEST} is not a member of the global cluster ${GLOBAL} (members: ${EAST} (writer), ${other}): it was detached or never joined`);
  });

  test('a global cluster with no members (every cluster detached) is not a member either', async () => {
    rdsMock.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [{ GlobalClusterIdentifier: GLOBAL, GlobalClusterMembers: [] }] });
    await expect(clusterRole(client, CONFIG, { clock: fakeClock() })).rejects.toThrow('(members: none)');
  });

  test('a global cluster that does not exist is a clear error', async () => {
    rdsMock.on(DescribeGlobalClustersCommand).rejects(new GlobalClusterNotFoundFault({ message: 'not found', $metadata: {} }));
    await expect(clusterRole(client, CONFIG, { clock: fakeClock() })).rejects.toThrow(`the global cluster ${GLOBAL} does not exist`);
  });

  test('an answer without the global cluster, or without IsWriter, is an error, never a guessed role', async () => {
    rdsMock.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [] });
    await expect(clusterRole(client, CONFIG, { clock: fakeClock() })).rejects.toThrow(`RDS returned no global cluster ${GLOBAL}`);
    const noIsWriter = { GlobalClusterIdentifier: GLOBAL, GlobalClusterMembers: [{ DBClusterArn: WEST }] };
    rdsMock.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [noIsWriter] });
    await expect(clusterRole(client, CONFIG, { clock: fakeClock() })).rejects.toThrow('RDS did not say whether');
  });

  test('throttling is retried with backoff until it passes', async () => {
    rdsMock.on(DescribeGlobalClustersCommand).rejectsOnce(throttle()).rejectsOnce(throttle()).resolves(members(EAST, WEST));
    const clock = fakeClock();
    await expect(clusterRole(client, CONFIG, { clock })).resolves.toBe('secondary');
    expect(rdsMock.commandCalls(DescribeGlobalClustersCommand)).toHaveLength(3);
    expect(clock.sleeps).toBe(2);
  });

  test('throttling that outlasts the attempts fails the run (nothing is published)', async () => {
    rdsMock.on(DescribeGlobalClustersCommand).rejects(throttle());
    await expect(clusterRole(client, CONFIG, { clock: fakeClock(), maxAttempts: 3 })).rejects.toThrow('Rate exceeded');
    expect(rdsMock.commandCalls(DescribeGlobalClustersCommand)).toHaveLength(3);
  });

  test('any other API failure fails at once, without retries', async () => {
    const denied = new Error('not authorized to perform rds:DescribeGlobalClusters');
    denied.name = 'AccessDenied';
    rdsMock.on(DescribeGlobalClustersCommand).rejects(denied);
    await expect(clusterRole(client, CONFIG, { clock: fakeClock() })).rejects.toThrow('not authorized');
    expect(rdsMock.commandCalls(DescribeGlobalClustersCommand)).toHaveLength(1);
  });
});

describe('readConfig', () => {
  test('reads the global cluster and the cluster ARN', () => {
    expect(readConfig({ GLOBAL_CLUSTER_ID: GLOBAL, CLUSTER_ARN: WEST })).toEqual(CONFIG);
    expect(readConfig({ GLOBAL_CLUSTER_ID: GLOBAL, CLUSTER_ARN: 'arn:aws-cn:rds:cn-north-1:111111111111:cluster:db' }).clusterArn).toContain('aws-cn');
  });

  test.each([
    [{ CLUSTER_ARN: WEST }, 'GLOBAL_CLUSTER_ID must be an Aurora global cluster identifier, got: undefined'],
    [{ GLOBAL_CLUSTER_ID: '1bad', CLUSTER_ARN: WEST }, 'GLOBAL_CLUSTER_ID must be an Aurora global cluster identifier, got: "1bad"'],
    [{ GLOBAL_CLUSTER_ID: GLOBAL }, 'CLUSTER_ARN must be the ARN of an Aurora DB cluster'],
    [{ GLOBAL_CLUSTER_ID: GLOBAL, CLUSTER_ARN: 'dr-aurora-prod' }, 'got: "dr-aurora-prod"'],
    [{ GLOBAL_CLUSTER_ID: GLOBAL, CLUSTER_ARN: 'arn:aws:rds:us-west-2:111111111111:db:dr-aurora-prod' }, 'CLUSTER_ARN must be the ARN of an Aurora DB cluster'],
  ])('refuses %j', (env, message) => {
    expect(() => readConfig(env)).toThrow(message);
  });
});

describe('publish and handler', () => {
  let out: string[];
  let write: jest.SpyInstance;
  let log: jest.SpyInstance;
  const env = { ...process.env };
  beforeEach(() => {
    out = [];
    write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => { out.push(String(chunk)); return true; });
    log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => {
    write.mockRestore();
    log.mockRestore();
    process.env = { ...env };
  });
  const emf = () => out.map((l) => { try { return JSON.parse(l); } catch { return undefined; } }).filter((l) => l?._aws);

  test.each([['writer', 1], ['secondary', 0]] as const)('publishes ClusterIsWriter for a %s as %p, standard resolution, dimensioned by the global cluster', (role, value) => {
    publish(GLOBAL, role, 1_700_000_000_000);
    const docs = emf();
    expect(docs).toHaveLength(1);
    expect(docs[0]._aws.Timestamp).toBe(1_700_000_000_000);
    expect(docs[0]._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'CdkDrPlatform/AuroraGlobal', Dimensions: [expect.arrayContaining(['service', 'GlobalCluster'])] });
    expect(docs[0]._aws.CloudWatchMetrics[0].Metrics[0]).toMatchObject({ Name: 'ClusterIsWriter', Unit: 'Count' });
    expect(docs[0]._aws.CloudWatchMetrics[0].Metrics[0].StorageResolution ?? 60).toBe(60);
    expect(docs[0]).toMatchObject({ service: 'aurora-global-role', GlobalCluster: GLOBAL, ClusterIsWriter: value });
  });

  test('a run publishes the role it read', async () => {
    process.env.GLOBAL_CLUSTER_ID = GLOBAL;
    process.env.CLUSTER_ARN = WEST;
    rdsMock.on(DescribeGlobalClustersCommand).resolves(members(EAST, WEST));
    await expect(handler()).resolves.toEqual({ role: 'secondary' });
    expect(emf()).toEqual([expect.objectContaining({ ClusterIsWriter: 0 })]);
  });

  test.each([
    ['the API fails', () => rdsMock.on(DescribeGlobalClustersCommand).rejects(Object.assign(new Error('internal'), { name: 'InternalFailure' }))],
    ['the cluster is not a member', () => rdsMock.on(DescribeGlobalClustersCommand).resolves(members(EAST))],
  ])('when %s, the run fails and publishes nothing (the alarms see a missing role, not a wrong one)', async (_name, arrange) => {
    process.env.GLOBAL_CLUSTER_ID = GLOBAL;
    process.env.CLUSTER_ARN = WEST;
    arrange();
    await expect(handler()).rejects.toThrow();
    expect(emf()).toEqual([]);
  });

  test('a bad configuration fails the run before any call, and publishes nothing', async () => {
    process.env.GLOBAL_CLUSTER_ID = GLOBAL;
    delete process.env.CLUSTER_ARN;
    await expect(handler()).rejects.toThrow('CLUSTER_ARN must be');
    expect(rdsMock.commandCalls(DescribeGlobalClustersCommand)).toHaveLength(0);
    expect(emf()).toEqual([]);
  });
});
