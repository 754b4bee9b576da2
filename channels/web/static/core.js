// What every part of the page shares: the signed-in session, calls to the API (refreshing the access token once on a
// 401), Server-Sent Events, and a small element builder.

export const $ = (id) => document.getElementById(id);
export const session = { access: null, refresh: sessionStorage.getItem("gc-refresh"), who: null };
export const hooks = { signedIn: () => {}, signedOut: () => {} };

export async function api(path, options = {}, retried = false) {
  const form = options.body instanceof FormData;
  const headers = { ...(form ? {} : { "Content-Type": "application/json" }), ...(options.headers || {}) };
  if (session.access) headers.Authorization = `Bearer ${session.access}`;
  const reply = await fetch(path, { ...options, headers });
  if (reply.status === 401 && session.refresh && !retried && await refresh()) return api(path, options, true);
  return reply;
}

export async function refresh() {
  const reply = await fetch("/api/v1/auth/refresh", { method: "POST", headers: { "Content-Type": "application/json" },
                                                      body: JSON.stringify({ refresh_token: session.refresh }) });
  if (!reply.ok) { hooks.signedOut(); return false; }
  hooks.signedIn(await reply.json());
  return true;
}

export async function* events(body, wrapped = true) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replaceAll("\r\n", "\n");
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const kind = /^event: ?(.*)$/m.exec(block)?.[1];
      const data = /^data: ?(.*)$/m.exec(block)?.[1];
      if (kind && data) yield [kind.trim(), wrapped ? JSON.parse(data).data : JSON.parse(data)];
    }
  }
}

export function el(tag, text = "", props = {}) {
  const node = document.createElement(tag);
  if (text) node.textContent = text;
  for (const [name, value] of Object.entries(props)) {
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name in node && name !== "role") node[name] = value;
    else node.setAttribute(name, value);
  }
  return node;
}

export function button(label, onclick, props = {}) {
  return el("button", label, { type: "button", onclick, ...props });
}

export const shopOf = (who) => /@(.+)$/.exec(who || "")?.[1];
