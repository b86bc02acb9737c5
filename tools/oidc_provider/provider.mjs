// A real OpenID Connect provider for tests and demos: the certified `oidc-provider` package
// (npm, installed into .node/ by `make test`), with a login form that checks a password and
// accounts that carry 闽政通-style claims (open id, name, certificate type and number, person or
// legal entity, USCC). Never for production: its keys are generated at start.
//
//   node tools/oidc_provider/provider.mjs CONFIG.json
//
// CONFIG: {"port": 0, "clients": [{client_id, client_secret, redirect_uris: [...]}],
//          "accounts": [{"login", "password", "sub", "claims": {...}}]}
// It prints "listening http://127.0.0.1:<port>" once it serves (port 0: a free one).
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const { default: Provider } = await import(require.resolve('oidc-provider', { paths: [path.join(root, '.node')] }));

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const accounts = config.accounts;
const CLAIMS = ['name', 'user_type', 'cert_type', 'cert_no', 'uscc'];

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (uid, error = '') => `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>统一身份认证（测试）</title></head><body>
<h1>统一身份认证（测试提供方）</h1>
${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>账号 <input name="login" autocomplete="username"></label>
<label>密码 <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">登录</button></form></body></html>`;

function readBody(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => resolve(new URLSearchParams(data)));
    req.on('error', reject);
  });
}

const server = http.createServer();
server.listen(config.port || 0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: config.clients.map((client) => ({
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      ...client,
    })),
    claims: { openid: ['sub'], profile: CLAIMS },
    scopes: ['openid', 'profile'],
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['test-only-cookie-key-not-for-production'] },
    // First-party client: no consent screen (like a government identity provider's own apps).
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid profile');
      await grant.save();
      return grant;
    },
    async findAccount(ctx, sub) {
      const account = accounts.find((a) => a.sub === sub);
      if (!account) return undefined;
      return { accountId: sub, async claims() { return { sub, ...account.claims }; } };
    },
  });
  const callback = provider.callback();
  server.on('request', async (req, res) => {
    const match = req.url.match(/^\/interaction\/([^/?]+)(\/login)?/);
    if (!match) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'POST' && match[2]) {
        const body = await readBody(req);
        const account = accounts.find((a) => a.login === body.get('login') && a.password === body.get('password'));
        if (!account) {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          return res.end(page(details.uid, '账号或密码不正确'));
        }
        return provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(page(details.uid));
    } catch (error) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      return res.end(String(error));
    }
  });
  console.log(`listening ${issuer}`);
});
