// A real OpenID Connect provider for the single sign-on tests: panva's oidc-provider (certified
// by the OpenID Foundation), started by tests/accounts/test_oidc.py on 127.0.0.1.
//
// Environment (all set by the test):
//   PORT, ISSUER            where it listens and the issuer it names in its tokens
//   CLIENTS                 JSON list of client metadata (client_id, secret, redirect_uris...)
//   ACCOUNTS                JSON {login: {password, claims: {sub, email, name, ...}}}
//   JWKS                    JSON {keys: [private RSA JWK]}: the key that signs the ID tokens
//
// The login page is its own (a form with a password check, as the province's identity service
// has); consent is skipped for these first-party clients.
import { createServer } from "node:http";
import Provider from "oidc-provider";

const port = Number(process.env.PORT);
const issuer = process.env.ISSUER;
const accounts = JSON.parse(process.env.ACCOUNTS);

const configuration = {
  clients: JSON.parse(process.env.CLIENTS),
  jwks: JSON.parse(process.env.JWKS),
  cookies: { keys: ["test-cookie-key-1", "test-cookie-key-2"] },
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "preferred_username"],
  },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const account = Object.values(accounts).find((entry) => entry.claims.sub === id);
    if (!account) return undefined;
    return { accountId: id, claims: async () => ({ ...account.claims }) };
  },
  // First-party clients: the person is not asked to consent.
  async loadExistingGrant(ctx) {
    const grantId =
      ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile");
    await grant.save();
    return grant;
  },
};

const provider = new Provider(issuer, configuration);

function page(title, body) {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: sans-serif; max-width: 24rem; margin: 3rem auto;">
<h1>${title}</h1>${body}</body></html>`;
}

function loginForm(uid, error = "") {
  return page(
    "Hệ thống định danh (thử nghiệm)",
    `${error ? `<p id="error" style="color: #b00">${error}</p>` : ""}
<form method="post" action="/interaction/${uid}/login">
<p><label for="login">Tên đăng nhập</label><br><input id="login" name="login" required></p>
<p><label for="password">Mật khẩu</label><br><input id="password" name="password" type="password" required></p>
<p><button type="submit">Đăng nhập</button></p></form>`,
  );
}

async function readForm(req) {
  let raw = "";
  for await (const chunk of req) raw += chunk;
  return new URLSearchParams(raw);
}

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (ctx.method === "GET") {
    ctx.type = "html";
    ctx.body = loginForm(details.uid);
    return undefined;
  }
  const form = await readForm(ctx.req);
  const account = accounts[form.get("login")];
  if (!account || account.password !== form.get("password")) {
    ctx.type = "html";
    ctx.status = 200;
    ctx.body = loginForm(details.uid, "Sai tên đăng nhập hoặc mật khẩu.");
    return undefined;
  }
  await provider.interactionFinished(
    ctx.req,
    ctx.res,
    { login: { accountId: account.claims.sub } },
    { mergeWithLastSubmission: false },
  );
  ctx.respond = false;
  return undefined;
});

createServer(provider.callback()).listen(port, "127.0.0.1", () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
