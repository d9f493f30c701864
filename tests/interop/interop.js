'use strict';
// The real Nacos (nacos 2.6.3) and Eureka (eureka-js-client 4.5.0) Node.js clients against a running
// Registry: REGISTRY=127.0.0.1:8848 node interop.js. Exits 0 when every step passed; stops by itself.
const assert = require('node:assert/strict');
const { NacosNamingClient, NacosConfigClient } = require('nacos');
const { Eureka } = require('eureka-js-client');

const server = process.env.REGISTRY || '127.0.0.1:8848';
const [host, port] = server.split(':');
const quiet = { info() {}, warn() {}, debug() {}, error: (...a) => console.error('  client:', ...a) };
const steps = [];
const step = async (name, run) => {
  try {
    await run();
    steps.push(name);
    console.log(`ok    ${name}`);
  } catch (e) {
    console.log(`FAIL  ${name}: ${e.message}`);
    throw e;
  }
};
const until = async (what, check, seconds = 20) => {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`still not ${what}`);
    await new Promise(r => setTimeout(r, 200));
  }
};
const callback = fn => new Promise((resolve, reject) => fn(e => (e ? reject(e) : resolve())));

async function main() {
  const naming = new NacosNamingClient({ logger: quiet, serverList: server, namespace: 'public' });
  await naming.ready();
  const hosts = async service => (await naming.getAllInstances(service, 'DEFAULT_GROUP', '', false)).map(h => `${h.ip}:${h.port}`).sort();

  await step('nacos: register two instances', async () => {
    await naming.registerInstance('interop.orders', { ip: '10.1.0.1', port: 8080 });
    await naming.registerInstance('interop.orders', { ip: '10.1.0.2', port: 8080, weight: 2 });
    assert.deepEqual(await hosts('interop.orders'), ['10.1.0.1:8080', '10.1.0.2:8080']);
  });

  await step('nacos: subscribe sees the instances', async () => {
    let seen = [];
    naming.subscribe('interop.orders', list => { seen = list; });
    await until('notified', () => seen.length === 2);
  });

  await step('nacos: deregister', async () => {
    await naming.deregisterInstance('interop.orders', { ip: '10.1.0.1', port: 8080 });
    assert.deepEqual(await hosts('interop.orders'), ['10.1.0.2:8080']);
  });

  await step('nacos: server status', async () => assert.equal(await naming.getServerStatus(), 'UP'));

  const config = new NacosConfigClient({ serverAddr: server, requestTimeout: 6000 });
  await config.ready();
  await step('nacos config: publish and get', async () => {
    assert.equal(await config.publishSingle('interop.yaml', 'DEFAULT_GROUP', 'greeting: 你好\n'), true);
    assert.equal(await config.getConfig('interop.yaml', 'DEFAULT_GROUP'), 'greeting: 你好\n');
  });

  await step('nacos config: listener sees a new version', async () => {
    let latest = null;
    config.subscribe({ dataId: 'interop.yaml', group: 'DEFAULT_GROUP' }, content => { latest = content; });
    await until('notified of the current version', () => latest === 'greeting: 你好\n');
    await config.publishSingle('interop.yaml', 'DEFAULT_GROUP', 'greeting: hello\n');
    await until('notified of the new version', () => latest === 'greeting: hello\n', 40);
  });

  await step('nacos config: content not valid for its type is stored, not retried', async () => {
    // Nacos stores any content; its client retries a refusal until its timeout (6 s here), then throws.
    assert.equal(await config.publishSingle('interop.json', 'DEFAULT_GROUP', '{broken', { type: 'json' }), true);
    assert.equal(await config.getConfig('interop.json', 'DEFAULT_GROUP'), '{broken');
    await config.remove('interop.json', 'DEFAULT_GROUP');
  });

  await step('nacos config: remove', async () => {
    await config.remove('interop.yaml', 'DEFAULT_GROUP');
    assert.equal(await config.getConfig('interop.yaml', 'DEFAULT_GROUP'), null);
  });

  const shop = (instanceId, more = {}) => new Eureka({
    logger: quiet,
    instance: {
      app: 'interop-shop', instanceId, hostName: 'localhost', ipAddr: '127.0.0.1',
      port: { $: 9090, '@enabled': 'true' }, vipAddress: 'interop-shop',
      dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' },
    },
    eureka: { host, port: Number(port), servicePath: '/eureka/apps/', registryFetchInterval: 500, heartbeatInterval: 1000, maxRetries: 0, ...more },
  });
  const eureka = shop('interop-shop-1');

  await step('eureka: register and fetch the registry', async () => {
    await callback(done => eureka.start(done));
    await until('fetched', () => eureka.getInstancesByAppId('INTEROP-SHOP').length === 1);
  });

  await step('eureka sees the nacos instance, nacos sees the eureka one', async () => {
    await until('fetched', () => eureka.getInstancesByAppId('INTEROP.ORDERS').length === 1);
    assert.deepEqual(await hosts('interop-shop'), ['127.0.0.1:9090']);
  });

  await step('eureka: renew', async () => {
    await new Promise(r => setTimeout(r, 2500));
    assert.deepEqual(await hosts('interop-shop'), ['127.0.0.1:9090']);
  });

  // A second instance at the same address, fetching deltas as Spring clients do.
  const second = shop('interop-shop-2', { shouldUseDelta: true });
  let registrations = 0;
  second.on('registered', () => { registrations += 1; });
  await step('eureka: a second instance id at the same address is kept beside the first', async () => {
    await callback(done => second.start(done));
    await new Promise(r => setTimeout(r, 3000));
    assert.deepEqual(await hosts('interop-shop'), ['127.0.0.1:9090', '127.0.0.1:9090']);
    assert.equal(registrations, 1, 'renewals never got 404, so it never registered again');
  });

  await step('eureka: a delta-fetching client stops routing to an instance taken out of service', async () => {
    const status = await fetch(`http://${server}/eureka/apps/INTEROP-SHOP/interop-shop-1/status?value=OUT_OF_SERVICE`, { method: 'PUT' });
    assert.equal(status.status, 200);
    await until('out of service in the delta client', () => !second.getInstancesByVipAddress('interop-shop')
      .some(i => i.instanceId === 'interop-shop-1' && i.status === 'UP'));
  });

  await step('eureka: stop deregisters', async () => {
    await callback(done => eureka.stop(done));
    await callback(done => second.stop(done));
    // Read natively: the Nacos Node client ignores an empty host list and keeps its last one (a known quirk).
    const list = await (await fetch(`http://${server}/v1/services/interop-shop/instances`)).json();
    assert.deepEqual(list.instances, []);
  });

  naming.close();
  config.close();
}

const limit = setTimeout(() => { console.log('FAIL  did not finish within 120 s'); process.exit(1); }, 120_000);
main().then(
  () => { clearTimeout(limit); console.log(`${steps.length} steps passed`); process.exit(0); },
  () => { clearTimeout(limit); process.exit(1); });
