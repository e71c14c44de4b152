// EdgeCloud portal pages: plain JavaScript over the REST API (/api/v1). The session is an HttpOnly cookie; every
// state-changing request carries the session's anti-CSRF token in X-CSRF-Token, which /api/v1/me hands out.
"use strict";

const state = { csrf: null, me: null, tenant: null };

async function api(method, path, body) {
  const headers = { "Accept": "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (state.csrf && method !== "GET") headers["X-CSRF-Token"] = state.csrf;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin" });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) {
    const error = new Error(json && json.message ? json.message : `${response.status} ${response.statusText}`);
    error.status = response.status;
    throw error;
  }
  return json;
}

function showError(message) {
  const box = document.getElementById("form-error");
  if (box) box.textContent = message || "";
}

function formValues(form) {
  return Object.fromEntries(new FormData(form).entries());
}

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (name === "onclick") node.addEventListener("click", value);
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function onSubmit(id, handler) {
  const form = document.getElementById(id);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showError("");
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      await handler(formValues(form), form);
    } catch (error) {
      showError(error.message);
    } finally {
      button.disabled = false;
    }
  });
}

async function signupPage() {
  onSubmit("signup-form", async (values) => {
    await api("POST", "/api/v1/signup", values);
    location.assign("/clusters");
  });
}

async function loginPage() {
  onSubmit("login-form", async (values) => {
    await api("POST", "/api/v1/login", values);
    location.assign("/clusters");
  });
}

function canAdmin() {
  return state.tenant && (state.tenant.role === "admin" || state.tenant.role === "owner");
}

async function loadClusters() {
  const tbody = document.querySelector("#clusters tbody");
  const list = await api("GET", `/api/v1/tenants/${state.tenant.id}/clusters`);
  tbody.replaceChildren();
  document.getElementById("no-clusters").hidden = list.items.length > 0;
  for (const cluster of list.items) {
    const base = `/api/v1/tenants/${state.tenant.id}/clusters/${cluster.id}`;
    const actions = element("td", { class: "actions" });
    if (canAdmin()) {
      actions.append(element("a", { class: "button secondary", href: `${base}/kubeconfig?access=admin`, download: `${cluster.name}-admin.kubeconfig.yaml`, "data-action": "kubeconfig-admin" }, "Admin kubeconfig"));
    }
    actions.append(element("a", { class: "button secondary", href: `${base}/kubeconfig?access=read-only`, download: `${cluster.name}-read-only.kubeconfig.yaml`, "data-action": "kubeconfig-read-only" }, "Read-only kubeconfig"));
    if (canAdmin()) {
      actions.append(element("button", { type: "button", class: "secondary", "data-action": "add-node", onclick: () => addNode(cluster) }, "Add node"));
      actions.append(element("button", { type: "button", class: "danger", "data-action": "delete", onclick: () => deleteCluster(cluster) }, "Delete"));
    }
    tbody.append(element("tr", { "data-cluster": cluster.name },
      element("td", {}, element("strong", {}, cluster.name), element("div", { class: "muted" }, cluster.id)),
      element("td", {}, element("code", {}, cluster.server)),
      actions));
  }
}

async function addNode(cluster) {
  showError("");
  try {
    const token = await api("POST", `/api/v1/tenants/${state.tenant.id}/clusters/${cluster.id}/join-tokens`);
    document.getElementById("install-cluster").textContent = cluster.name;
    document.getElementById("install-command").textContent = token.installCommand;
    document.getElementById("copied").hidden = true;
    const card = document.getElementById("install-card");
    card.hidden = false;
    card.scrollIntoView({ behavior: "smooth" });
  } catch (error) {
    showError(error.message);
  }
}

async function deleteCluster(cluster) {
  if (!confirm(`Delete cluster ${cluster.name}? Its API, workloads and node credentials are removed for good.`)) return;
  try {
    await api("DELETE", `/api/v1/tenants/${state.tenant.id}/clusters/${cluster.id}`);
    document.getElementById("install-card").hidden = true;
    await loadClusters();
  } catch (error) {
    showError(error.message);
  }
}

async function selectTenant(id) {
  state.tenant = state.me.tenants.find((t) => t.id === id) || state.me.tenants[0];
  localStorage.setItem("edgecloud.tenant", state.tenant.id);
  document.getElementById("plan").textContent = `Plan: ${state.tenant.plan} · your role: ${state.tenant.role}`;
  document.getElementById("create-card").hidden = !canAdmin();
  document.getElementById("install-card").hidden = true;
  await loadClusters();
}

async function clustersPage() {
  try {
    state.me = await api("GET", "/api/v1/me");
  } catch (error) {
    if (error.status === 401) { location.assign("/login"); return; }
    throw error;
  }
  state.csrf = state.me.csrfToken;
  document.getElementById("who").textContent = state.me.account.email;
  const picker = document.getElementById("tenant");
  for (const tenant of state.me.tenants) picker.append(element("option", { value: tenant.id }, tenant.name));
  picker.addEventListener("change", () => selectTenant(picker.value));
  const remembered = localStorage.getItem("edgecloud.tenant");
  picker.value = state.me.tenants.some((t) => t.id === remembered) ? remembered : state.me.tenants[0].id;
  await selectTenant(picker.value);

  onSubmit("create-form", async (values, form) => {
    await api("POST", `/api/v1/tenants/${state.tenant.id}/clusters`, { name: values.name });
    form.reset();
    await loadClusters();
  });
  document.getElementById("logout").addEventListener("click", async () => {
    await api("POST", "/api/v1/logout");
    location.assign("/login");
  });
  document.getElementById("copy-install").addEventListener("click", async () => {
    await navigator.clipboard.writeText(document.getElementById("install-command").textContent);
    document.getElementById("copied").hidden = false;
  });
}

const pages = { signup: signupPage, login: loginPage, clusters: clustersPage };
document.addEventListener("DOMContentLoaded", () => {
  pages[document.body.dataset.page]().catch((error) => showError(error.message));
});
