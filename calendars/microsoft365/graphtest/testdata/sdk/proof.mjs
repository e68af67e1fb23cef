// Microsoft's own libraries against the graphtest fake: MSAL for Node
// obtains an app-only token (client credentials) from the fake's authority
// (and reports the AADSTS error of a wrong secret),
// and the Microsoft Graph SDK (@microsoft/msgraph-sdk + -users) reads a
// user's calendarView/delta page by page, reads an event and PATCHes it with
// If-Match, then once more with the stale etag (412 expected).
//
// Usage: node proof.mjs LOGIN GRAPH_BASE TENANT CLIENT_ID SECRET USER START END
// (the fake's certificate comes through NODE_EXTRA_CA_CERTS). Prints one JSON
// object that the Go test (sdk_test.go) checks.
import { ConfidentialClientApplication } from "@azure/msal-node";
import { AllowedHostsValidator, BaseBearerTokenAuthenticationProvider } from "@microsoft/kiota-abstractions";
import { GraphRequestAdapter, createGraphServiceClient } from "@microsoft/msgraph-sdk";
import "@microsoft/msgraph-sdk-users";

const [login, graphBase, tenant, clientId, secret, user, start, end] = process.argv.slice(2);
const out = {};

function msal(clientSecret) {
  return new ConfidentialClientApplication({
    auth: { clientId, clientSecret, authority: `${login}/${tenant}`, knownAuthorities: [new URL(login).host] },
  });
}

async function wrongSecret() {
  try {
    await msal("not-the-secret").acquireTokenByClientCredential({ scopes: ["https://graph.microsoft.com/.default"] });
    out.wrongSecret = "accepted";
  } catch (e) {
    out.wrongSecret = `${e.errorCode}: ${e.errorMessage ?? e.message}`;
  }
}

async function token() {
  const app = msal(secret);
  const r = await app.acquireTokenByClientCredential({ scopes: ["https://graph.microsoft.com/.default"] });
  out.tokenType = r.tokenType;
  out.expiresInFuture = r.expiresOn > new Date();
  return r.accessToken;
}

function client(accessToken) {
  const auth = new BaseBearerTokenAuthenticationProvider({
    getAuthorizationToken: async () => accessToken,
    getAllowedHostsValidator: () => new AllowedHostsValidator(new Set([new URL(graphBase).host])),
  });
  const adapter = new GraphRequestAdapter(auth);
  adapter.baseUrl = graphBase.replace(/\/$/, "");
  return createGraphServiceClient(adapter);
}

async function delta(graph) {
  // One string: kiota joins an array of values for one header without a
  // separator.
  const prefer = { Prefer: 'odata.maxpagesize=2, outlook.timezone="UTC"' };
  const builder = graph.users.byUserId(user).calendarView.delta;
  let page = await builder.get({ queryParameters: { startDateTime: start, endDateTime: end }, headers: prefer });
  out.pages = 1;
  out.events = [];
  for (;;) {
    for (const e of page.value ?? []) {
      out.events.push({ id: e.id, type: e.type, seriesMasterId: e.seriesMasterId ?? null, subject: e.subject ?? null,
        start: e.start?.dateTime ?? null, timeZone: e.start?.timeZone ?? null });
    }
    if (!page.odataNextLink) break;
    page = await builder.withUrl(page.odataNextLink).get({ headers: prefer });
    out.pages++;
  }
  out.deltaLink = page.odataDeltaLink ?? null;
  const idle = await builder.withUrl(out.deltaLink).get({ headers: prefer });
  out.idleEvents = (idle.value ?? []).length;
}

async function patch(graph) {
  const occ = out.events.find((e) => e.type === "occurrence");
  const events = graph.users.byUserId(user).events;
  const ev = await events.byEventId(occ.id).get();
  const etag = ev.additionalData?.["@odata.etag"];
  out.readSubject = ev.subject;
  out.readEtag = etag ?? null;
  const body = { body: { contentType: "html", content: "<p>Agenda written by the Graph SDK</p>" } };
  const updated = await events.byEventId(occ.id).patch(body, { headers: { "If-Match": etag } });
  out.patchedType = updated.type;
  out.patchedBody = updated.body?.content ?? null;
  out.patchedId = updated.id;
  try {
    await events.byEventId(occ.id).patch(body, { headers: { "If-Match": etag } });
    out.staleStatus = 200;
  } catch (e) {
    out.staleStatus = e.responseStatusCode ?? null;
    out.staleCode = e.error?.code ?? e.code ?? null;
  }
}

try {
  await wrongSecret();
  const graph = client(await token());
  await delta(graph);
  await patch(graph);
} catch (e) {
  out.exception = `${e?.name}: ${e?.message} ${e?.responseStatusCode ?? ""}`;
}
console.log(JSON.stringify(out));
