// pressroom editor: a form over a release file, saved through the JSON API. No build step.
//
// The page reads the release with GET /api/releases/NAME (the keys as in the
// YAML), edits that data in place (keys the form does not know are kept as
// they are) and saves it with PUT, which writes the file keeping its comments
// and layout. Every change is previewed (POST /api/preview/NAME: the email, the
// PDF and check's findings of the unsaved release) after a short pause; the
// findings are shown next to the field they concern. Writes carry the token of
// the page (meta pressroom-token).
(() => {
  "use strict";

  // On this computer the page carries the token; open to a network, the writer gives it once.
  const STORED = "pressroom-token";
  let token = (document.querySelector('meta[name="pressroom-token"]') || {}).content || "";
  const tokenBox = document.getElementById("token-box");
  if (tokenBox) {
    token = localStorage.getItem(STORED) || "";
    tokenBox.hidden = Boolean(token);
    document.getElementById("token-save").addEventListener("click", () => {
      token = document.getElementById("token-input").value.trim();
      localStorage.setItem(STORED, token);
      tokenBox.hidden = Boolean(token);
    });
  }
  const headers = () => ({ "Content-Type": "application/json", "X-Pressroom-Token": token });
  function refused(response) {
    if (response.status === 403 && tokenBox) {
      localStorage.removeItem(STORED);
      tokenBox.hidden = false;
    }
  }

  // -- new release -------------------------------------------------------------
  const creator = document.getElementById("new-release");
  if (creator) {
    creator.addEventListener("submit", async (event) => {
      event.preventDefault();
      const state = document.getElementById("new-state");
      const data = Object.fromEntries(new FormData(creator).entries());
      if (!data.date) delete data.date;
      state.textContent = "Creating…";
      const response = await fetch("/api/releases", { method: "POST", headers: headers(), body: JSON.stringify(data) });
      const answer = await response.json();
      refused(response);
      if (response.status === 201) {
        location.href = "/release/" + encodeURIComponent(answer.name) + "/edit";
      } else {
        state.textContent = answer.error || "Not created.";
      }
    });
    return;
  }

  const editor = document.getElementById("editor");
  if (!editor) return;
  const choices = JSON.parse(document.getElementById("editor-choices").textContent);
  const name = choices.name;
  const form = document.getElementById("form");
  const saveButton = document.getElementById("save");
  const saveState = document.getElementById("save-state");
  const previewState = document.getElementById("preview-state");

  let release = null;
  let version = null;
  let bodyWasText = false;
  let dirty = false;
  let counter = 0;

  // -- key order: new keys go where docs/format.md puts them ---------------------
  const ORDERS = {
    "": ["type", "status", "embargo", "date", "dateline", "language", "headline", "subheadline",
      "updates", "addressees", "salutation", "body", "closing", "signatories", "event", "ps",
      "contacts", "boilerplate", "hashtags", "images", "draft", "distribution"],
    event: ["title", "what", "when", "where", "who", "why", "visuals", "onsite_contact", "rsvp"],
    "event.when": ["start", "end"],
    "event.where": ["venue", "address"],
    distribution: ["lists", "subject", "attach"],
    image: ["file", "caption", "credit", "alt"],
    update: ["date", "label", "text"],
    addressee: ["name", "title", "address"],
    signatory: ["name", "title", "org", "location", "url"],
    quote: ["quote", "text"],
    person: ["name", "title", "org"],
  };

  function orderFor(path) {
    const keys = path.filter((part) => typeof part === "string").join(".");
    if (path[0] === "images") return ORDERS.image;
    if (path[0] === "updates") return ORDERS.update;
    if (path[0] === "addressees") return ORDERS.addressee;
    if (path[0] === "signatories") return ORDERS.signatory;
    if (path[0] === "body") return path.length > 2 ? ORDERS.person : ORDERS.quote;
    return ORDERS[keys] || [];
  }

  function setKey(object, key, value, order) {
    if (value === undefined) {
      delete object[key];
      return;
    }
    if (Object.prototype.hasOwnProperty.call(object, key)) {
      object[key] = value;
      return;
    }
    const rank = (k) => (order.indexOf(k) < 0 ? order.length : order.indexOf(k));
    const entries = Object.entries(object);
    let at = 0;
    entries.forEach(([k], index) => {
      if (rank(k) <= rank(key)) at = index + 1;
    });
    entries.splice(at, 0, [key, value]);
    Object.keys(object).forEach((k) => delete object[k]);
    entries.forEach(([k, v]) => (object[k] = v));
  }

  function getPath(path) {
    let value = release;
    for (const part of path) {
      if (value === null || typeof value !== "object") return undefined;
      value = value[part];
    }
    return value;
  }

  // Set the value at path (undefined removes it; emptied mappings go too).
  function setPath(path, value) {
    let parent = release;
    for (let i = 0; i < path.length - 1; i++) {
      const part = path[i];
      if (parent[part] === null || typeof parent[part] !== "object") {
        if (value === undefined) return;
        setKey(parent, part, typeof path[i + 1] === "number" ? [] : {}, orderFor(path.slice(0, i)));
      }
      parent = parent[part];
    }
    const last = path[path.length - 1];
    if (Array.isArray(parent)) parent[last] = value === undefined ? "" : value;
    else setKey(parent, last, value, orderFor(path.slice(0, -1)));
    for (let depth = path.length - 1; depth > 0 && value === undefined; depth--) {
      const holder = getPath(path.slice(0, depth));
      if (holder && !Array.isArray(holder) && Object.keys(holder).length === 0) {
        const above = getPath(path.slice(0, depth - 1)) || release;
        if (!Array.isArray(above)) delete above[path[depth - 1]];
      } else break;
    }
    changed();
  }

  function keyName(path) {
    return path.reduce((text, part) => (typeof part === "number" ? `${text}[${part}]` : text ? `${text}.${part}` : part), "");
  }

  // -- elements ------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) if (child) node.append(child);
    return node;
  }

  function uid(prefix) {
    counter += 1;
    return `${prefix}-${counter}`;
  }

  // A labelled field for path, with its hint and the findings check gives for it.
  function field(path, label, control, hint) {
    const id = control.id || uid("f");
    control.id = id;
    const findings = el("ul", { class: "field-findings", id: id + "-findings" });
    const hintNode = hint ? el("p", { class: "hint", id: id + "-hint", text: hint }) : null;
    const described = [hintNode ? hintNode.id : "", findings.id].filter(Boolean).join(" ");
    control.setAttribute("aria-describedby", described);
    return el("div", { class: "field", "data-key": keyName(path) },
      el("label", { for: id, text: label }), hintNode, control, findings);
  }

  function text(path, label, options = {}) {
    const value = getPath(path);
    const control = options.multiline
      ? el("textarea", { rows: options.rows || 4, class: options.markdown ? "markdown" : "" })
      : el("input", { type: options.type || "text", list: options.list, autocomplete: "off" });
    control.value = value === undefined || value === null ? "" : String(value);
    control.dataset.focus = keyName(path);
    control.addEventListener("input", () => {
      const raw = control.value;
      setPath(path, raw === "" && !options.keepEmpty ? undefined : options.parse ? options.parse(raw) : raw);
    });
    const wrapper = field(path, label, control, options.hint);
    if (options.markdown) wrapper.insertBefore(toolbar(control), control);
    return wrapper;
  }

  function select(path, label, entries, options = {}) {
    const control = el("select", {});
    if (options.empty !== undefined) control.append(el("option", { value: "", text: options.empty }));
    for (const [value, shown] of entries) control.append(el("option", { value, text: shown }));
    const current = getPath(path);
    control.value = current === undefined ? options.fallback || "" : String(current);
    control.dataset.focus = keyName(path);
    control.addEventListener("change", () => {
      setPath(path, control.value === "" ? undefined : control.value);
      if (options.rerender) render();
    });
    return field(path, label, control, options.hint);
  }

  function checkbox(path, label, hint) {
    const control = el("input", { type: "checkbox" });
    control.checked = getPath(path) === true;
    control.dataset.focus = keyName(path);
    control.addEventListener("change", () => setPath(path, control.checked ? true : undefined));
    const id = uid("c");
    control.id = id;
    const findings = el("ul", { class: "field-findings", id: id + "-findings" });
    control.setAttribute("aria-describedby", findings.id);
    return el("div", { class: "field field-check", "data-key": keyName(path) },
      control, el("label", { for: id, text: label }), hint ? el("p", { class: "hint", text: hint }) : null, findings);
  }

  function checkboxes(path, legend, values, hint) {
    const current = getPath(path);
    const chosen = new Set(Array.isArray(current) ? current : []);
    const all = [...values, ...[...chosen].filter((v) => !values.includes(v))];
    const boxes = all.map(([value, shown]) => {
      const id = uid("cb");
      const box = el("input", { type: "checkbox", id, value });
      box.checked = chosen.has(value);
      box.addEventListener("change", () => {
        const picked = [...set.querySelectorAll("input[type=checkbox]")].filter((b) => b.checked).map((b) => b.value);
        setPath(path, picked.length ? picked : undefined);
      });
      return el("span", { class: "choice" }, box, el("label", { for: id, text: shown }));
    });
    const set = el("fieldset", { class: "field choices", "data-key": keyName(path) },
      el("legend", { text: legend }), hint ? el("p", { class: "hint", text: hint }) : null, ...boxes,
      el("ul", { class: "field-findings" }));
    return set;
  }

  // -- Markdown toolbar ----------------------------------------------------------
  function wrapSelection(area, before, after, placeholder) {
    const { selectionStart: start, selectionEnd: end, value } = area;
    const chosen = value.slice(start, end) || placeholder;
    area.value = value.slice(0, start) + before + chosen + after + value.slice(end);
    area.setSelectionRange(start + before.length, start + before.length + chosen.length);
    area.dispatchEvent(new Event("input"));
    area.focus();
  }

  function makeLink(area) {
    const url = window.prompt("Link to (https://… or /page on your website):", "https://");
    if (url && url !== "https://") wrapSelection(area, "[", `](${url})`, "link text");
    else area.focus();
  }

  function makeList(area) {
    const { selectionStart: start, selectionEnd: end, value } = area;
    const from = value.lastIndexOf("\n", start - 1) + 1;
    const lines = value.slice(from, end).split("\n").map((line) => (line.startsWith("- ") ? line : "- " + line));
    area.value = value.slice(0, from) + lines.join("\n") + value.slice(end);
    area.dispatchEvent(new Event("input"));
    area.focus();
  }

  function toolbar(area) {
    const button = (label, title, action) =>
      el("button", { type: "button", class: "tool", title, "aria-label": title, onclick: () => action(area) }, label);
    area.addEventListener("keydown", (event) => {
      if (!(event.ctrlKey || event.metaKey)) return;
      const key = event.key.toLowerCase();
      if (key === "b") wrapSelection(area, "**", "**", "bold text");
      else if (key === "i") wrapSelection(area, "*", "*", "italic text");
      else if (key === "k") makeLink(area);
      else return;
      event.preventDefault();
    });
    return el("div", { class: "toolbar", role: "toolbar", "aria-label": "Formatting" },
      button(el("b", { text: "B" }), "Bold (Ctrl+B)", (a) => wrapSelection(a, "**", "**", "bold text")),
      button(el("i", { text: "I" }), "Italic (Ctrl+I)", (a) => wrapSelection(a, "*", "*", "italic text")),
      button("Link", "Link (Ctrl+K)", makeLink),
      button("• List", "Bulleted list", makeList));
  }

  // -- lists of items: move, remove, add ------------------------------------------
  function itemActions(listPath, index, length, what) {
    const list = () => getPath(listPath);
    const move = (step) => {
      const items = list();
      [items[index], items[index + step]] = [items[index + step], items[index]];
      changed();
      render(`${keyName(listPath)}[${index + step}]`);
    };
    return el("div", { class: "item-actions" },
      el("button", { type: "button", class: "button button-small", disabled: index === 0,
        "aria-label": `Move ${what} ${index + 1} up`, onclick: () => move(-1) }, "↑"),
      el("button", { type: "button", class: "button button-small", disabled: index === length - 1,
        "aria-label": `Move ${what} ${index + 1} down`, onclick: () => move(1) }, "↓"),
      el("button", { type: "button", class: "button button-small button-danger",
        "aria-label": `Remove ${what} ${index + 1}`,
        onclick: () => {
          const items = list();
          items.splice(index, 1);
          if (!items.length) setPath(listPath, undefined);
          else changed();
          render(keyName(listPath));
        } }, "Remove"));
  }

  function addButton(label, listPath, make) {
    return el("button", { type: "button", class: "button", onclick: () => {
      const items = getPath(listPath);
      const made = make();
      if (Array.isArray(items)) {
        items.push(made);
        changed();
      } else setPath(listPath, [made]);
      render(`${keyName(listPath)}[${getPath(listPath).length - 1}]`);
    } }, label);
  }

  function section(title, key, ...children) {
    const id = uid("s");
    return el("fieldset", { class: "section", "data-key": key, "aria-labelledby": id },
      el("legend", { id, text: title }), ...children, key ? el("ul", { class: "field-findings" }) : null);
  }

  // -- the parts of a release ------------------------------------------------------
  const PEOPLE = choices.people.map((p) => [p.key, p.title ? `${p.name}, ${p.title}` : p.name]);

  function embargo() {
    const value = String(getPath(["embargo"]) || "");
    const found = value.match(/^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})(?::\d{2})?\s*(.*)$/);
    if (value && !found) return text(["embargo"], "Embargoed until", { hint: "YYYY-MM-DD HH:MM and a zone" });
    const parts = { date: found ? found[1] : "", time: found ? found[2].padStart(5, "0") : "", zone: found ? found[3] : "" };
    const day = el("input", { type: "date", id: uid("emb"), value: parts.date, "aria-label": "Embargo date" });
    const time = el("input", { type: "time", value: parts.time, "aria-label": "Embargo time" });
    const zone = el("input", { type: "text", list: "zones", value: parts.zone, placeholder: choices.timezone,
      "aria-label": "Embargo time zone (empty: the room's, " + choices.timezone + ")" });
    const update = () => {
      const composed = day.value && time.value ? `${day.value} ${time.value}${zone.value.trim() ? " " + zone.value.trim() : ""}` : undefined;
      setPath(["embargo"], composed);
    };
    [day, time, zone].forEach((input) => input.addEventListener("input", update));
    const wrapper = field(["embargo"], "Embargoed until (date, time, zone)", day,
      "Every copy says EMBARGOED UNTIL this time; an empty zone is the room's (" + choices.timezone + ").");
    day.after(time, zone);
    return wrapper;
  }

  function basics() {
    const status = getPath(["status"]) || "immediate";
    return section("The release", "",
      el("div", { class: "row" },
        select(["type"], "Type", Object.entries(choices.types), { fallback: "press-release", rerender: true }),
        select(["status"], "Status", Object.entries(choices.statuses), { fallback: "immediate", rerender: true })),
      status === "embargoed" || getPath(["embargo"]) ? embargo() : null,
      el("div", { class: "row" },
        text(["date"], "Date", { type: "date", hint: "Empty: the date the file name starts with." }),
        text(["dateline"], "Dateline", { hint: "AP style: the city in capitals, e.g. TOWSON, Md." }),
        text(["language"], "Language", { list: "languages", hint: "Empty: the room's language." })),
      text(["headline"], "Headline"),
      text(["subheadline"], "Subheadline"),
      checkbox(["draft"], "Draft", "A draft is never sent to media lists nor published."));
  }

  function updates() {
    const items = getPath(["updates"]) || [];
    return section("Updates and corrections", "updates",
      items.map((item, index) => el("div", { class: "item", "data-key": `updates[${index}]` },
        el("div", { class: "row" },
          text(["updates", index, "date"], "Date", { type: "date" }),
          text(["updates", index, "label"], "Label", { list: "update-labels", hint: "UPDATE (the default) or CORRECTION" })),
        text(["updates", index, "text"], "What changed", { multiline: true, rows: 2, markdown: true }),
        itemActions(["updates"], index, items.length, "update"))),
      addButton("Add an update or correction", ["updates"], () => ({ label: "UPDATE", text: "" })));
  }

  function quoteBlock(index, block) {
    const path = ["body", index];
    const who = block.quote;
    const inline = who !== null && typeof who === "object";
    const picker = el("select", { id: uid("q") });
    picker.append(el("option", { value: "", text: "Choose a person…" }));
    PEOPLE.forEach(([key, shown]) => picker.append(el("option", { value: key, text: shown })));
    picker.append(el("option", { value: "__someone", text: "Someone not in pressroom.yaml…" }));
    picker.value = inline ? "__someone" : (typeof who === "string" ? who : "");
    if (typeof who === "string" && who && !PEOPLE.some(([key]) => key === who)) {
      picker.append(el("option", { value: who, text: `${who} (not in pressroom.yaml)` }));
      picker.value = who;
    }
    picker.addEventListener("change", () => {
      setPath([...path, "quote"], picker.value === "__someone" ? { name: "" } : picker.value || undefined);
      render(keyName([...path, "quote"]));
    });
    picker.dataset.focus = keyName([...path, "quote"]);
    return el("div", { class: "block-quote" },
      field([...path, "quote"], "Who says it", picker, "A person of pressroom.yaml, or someone else: name, title and organisation."),
      inline ? el("div", { class: "row" },
        text([...path, "quote", "name"], "Name"),
        text([...path, "quote", "title"], "Title"),
        text([...path, "quote", "org"], "Organisation")) : null,
      inline ? el("div", { class: "row-actions" },
        el("button", { type: "button", class: "button button-small", onclick: () => addPerson([...path, "quote"]) },
          "Add this person to pressroom.yaml")) : null,
      text([...path, "text"], "The words, without quotation marks", { multiline: true, rows: 4, markdown: true }));
  }

  async function addPerson(path) {
    const person = getPath(path) || {};
    saveState.textContent = "Adding to pressroom.yaml…";
    const response = await fetch("/api/people", { method: "POST", headers: headers(), body: JSON.stringify(person) });
    const answer = await response.json().catch(() => ({}));
    refused(response);
    if (response.status !== 201) {
      saveState.textContent = "Not added: " + (answer.error || response.status);
      if (answer.findings) showFindings(answer.findings);
      return;
    }
    choices.people.push({ key: answer.key, name: person.name, title: person.title || "" });
    PEOPLE.push([answer.key, person.title ? `${person.name}, ${person.title}` : person.name]);
    setPath(path, answer.key);
    render(keyName(path));
    saveState.textContent = `${person.name} is in pressroom.yaml as ${answer.key}; save the release to keep the quote`;
  }

  function body() {
    const blocks = getPath(["body"]) || [];
    const seen = { paragraph: 0, heading: 0 };
    const shown = blocks.map((block, index) => {
      let inner;
      let what = "paragraph";
      if (typeof block === "string") {
        inner = text(["body", index], `Paragraph ${++seen.paragraph}`, { multiline: true, rows: 5, markdown: true, keepEmpty: true,
          hint: seen.paragraph === 1 ? "Markdown: **bold**, *italic*, [a link](https://…), lines starting with \"- \" make a list; a blank line starts a new paragraph." : "" });
      } else if (block && typeof block === "object" && "heading" in block) {
        what = "heading";
        inner = text(["body", index, "heading"], `Heading ${++seen.heading}`, { keepEmpty: true });
      } else if (block && typeof block === "object" && "quote" in block) {
        what = "quote";
        inner = quoteBlock(index, block);
      } else {
        inner = el("p", { class: "muted", text: "A block the editor does not know: kept as it is in the file." });
      }
      return el("div", { class: `item block block-${what}`, "data-key": `body[${index}]` },
        el("p", { class: "block-kind", text: what[0].toUpperCase() + what.slice(1) }), inner,
        itemActions(["body"], index, blocks.length, what));
    });
    return section("Body", "body", shown,
      el("div", { class: "row-actions" },
        addButton("Add a paragraph", ["body"], () => ""),
        addButton("Add a heading", ["body"], () => ({ heading: "" })),
        addButton("Add a quote", ["body"], () => ({ quote: choices.people.length ? choices.people[0].key : { name: "" }, text: "" }))));
  }

  function letter() {
    const addressees = getPath(["addressees"]) || [];
    return section("Open letter", "",
      el("div", { class: "subsection", "data-key": "addressees" },
        el("h2", { class: "subhead", text: "Addressed to" }),
        addressees.map((item, index) => el("div", { class: "item row", "data-key": `addressees[${index}]` },
          typeof item === "string"
            ? text(["addressees", index], "Name")
            : [text(["addressees", index, "name"], "Name"), text(["addressees", index, "title"], "Title"),
              text(["addressees", index, "address"], "Postal address")],
          itemActions(["addressees"], index, addressees.length, "addressee"))),
        addButton("Add an addressee", ["addressees"], () => ({ name: "" }))),
      text(["salutation"], "Salutation", { multiline: true, rows: 1, hint: "e.g. Dear Mayor Smith," }),
      text(["closing"], "Closing", { multiline: true, rows: 1, hint: "e.g. Sincerely," }),
      signatories());
  }

  // -- signatories: a table that takes a pasted column or spreadsheet selection --------
  const COLUMNS = ["name", "title", "org", "location", "url"];
  const COLUMN_LABELS = { name: "Name", title: "Title", org: "Organisation", location: "Place", url: "Link" };

  function signatoryRow(item) {
    return typeof item === "string" ? { name: item } : { ...item };
  }

  function signatoryItem(row) {
    const kept = {};
    COLUMNS.forEach((column) => {
      if (row[column]) kept[column] = row[column];
    });
    Object.keys(row).forEach((k) => {
      if (!COLUMNS.includes(k)) kept[k] = row[k];
    });
    const keys = Object.keys(kept);
    return keys.length === 1 && keys[0] === "name" ? kept.name : kept;
  }

  function pasteInto(listPath, rowIndex, columnIndex, clip) {
    const lines = clip.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n");
    const items = getPath(listPath) || [];
    lines.forEach((line, offset) => {
      const cells = line.split("\t");
      const row = signatoryRow(items[rowIndex + offset] || { name: "" });
      cells.forEach((cell, c) => {
        const column = COLUMNS[columnIndex + c];
        if (column) row[column] = cell.trim();
      });
      if (row.name) items[rowIndex + offset] = signatoryItem(row);
    });
    const compact = items.filter((item) => item !== undefined && item !== "");
    if (getPath(listPath)) {
      getPath(listPath).splice(0, getPath(listPath).length, ...compact);
      changed();
    } else setPath(listPath, compact);
    render(`${keyName(listPath)}[${Math.min(rowIndex, compact.length - 1)}]`);
  }

  function signatoryTable(listPath, caption) {
    const items = getPath(listPath) || [];
    const rows = [...items, ""].map((item, index) => {
      const row = signatoryRow(item);
      const cells = COLUMNS.map((column, c) => {
        const input = el("input", { type: "text", value: row[column] || "",
          "aria-label": `${COLUMN_LABELS[column]}, signatory ${index + 1}` });
        input.dataset.focus = `${keyName(listPath)}[${index}].${column}`;
        input.addEventListener("paste", (event) => {
          const clip = (event.clipboardData || window.clipboardData).getData("text");
          if (!/[\t\n]/.test(clip)) return;
          event.preventDefault();
          pasteInto(listPath, index, c, clip);
        });
        input.addEventListener("input", () => {
          const list = getPath(listPath) || [];
          const current = signatoryRow(list[index] || { name: "" });
          current[column] = input.value;
          if (index >= list.length) {
            if (!input.value) return;
            if (!getPath(listPath)) setPath(listPath, []);
            getPath(listPath).push(signatoryItem(current));
            changed();
            render(input.dataset.focus);
            return;
          }
          list[index] = signatoryItem(current);
          changed();
        });
        return el("td", {}, input);
      });
      const remove = index < items.length
        ? el("button", { type: "button", class: "button button-small button-danger", "aria-label": `Remove signatory ${index + 1}`,
          onclick: () => {
            getPath(listPath).splice(index, 1);
            changed();
            render(keyName(listPath));
          } }, "×")
        : null;
      return el("tr", { "data-key": `${keyName(listPath)}[${index}]` }, cells, el("td", {}, remove));
    });
    return el("div", { class: "table-wrap" }, el("table", { class: "signatories" },
      el("caption", { text: caption }),
      el("thead", {}, el("tr", {}, COLUMNS.map((c) => el("th", { scope: "col", text: COLUMN_LABELS[c] })), el("th", {}, el("span", { class: "visually-hidden", text: "Remove" })))),
      el("tbody", {}, rows)));
  }

  // A group's label is its key: renamed in place, the groups keep their order.
  function groupName(group) {
    const input = el("input", { type: "text", value: group, id: uid("g") });
    input.dataset.focus = `signatories.${group}`;
    input.addEventListener("change", () => {
      const label = input.value.trim();
      if (!label || label === group || label in release.signatories) {
        input.value = group;
        return;
      }
      const entries = Object.entries(release.signatories).map(([k, v]) => [k === group ? label : k, v]);
      release.signatories = Object.fromEntries(entries);
      changed();
      render(`signatories.${label}`);
    });
    return el("div", { class: "field" }, el("label", { for: input.id, text: "Group" }), input);
  }

  function signatories() {
    const value = getPath(["signatories"]);
    const hint = "Paste a column of names, or cells copied from a spreadsheet (name, title, organisation, place, link), into any cell.";
    if (typeof value === "string") {
      return el("div", { class: "subsection", "data-key": "signatories" },
        el("h2", { class: "subhead", text: "Signatories" }), text(["signatories"], "Signatories file (CSV, next to the release)"));
    }
    if (value && typeof value === "object" && !Array.isArray(value)) {
      const groups = Object.keys(value);
      return el("div", { class: "subsection", "data-key": "signatories" },
        el("h2", { class: "subhead", text: "Signatories, by group" }), el("p", { class: "hint", text: hint }),
        groups.map((group) => el("div", { class: "group", "data-key": `signatories.${group}` },
          groupName(group),
          signatoryTable(["signatories", group], group))),
        el("button", { type: "button", class: "button", onclick: () => {
          let label = "More signatories";
          for (let n = 2; label in release.signatories; n++) label = `More signatories ${n}`;
          release.signatories[label] = [];
          changed();
          render(`signatories.${label}`);
        } }, "Add a group"),
        el("ul", { class: "field-findings" }));
    }
    return el("div", { class: "subsection", "data-key": "signatories" },
      el("h2", { class: "subhead", text: "Signatories" }), el("p", { class: "hint", text: hint }),
      signatoryTable(["signatories"], "Signatories"), el("ul", { class: "field-findings" }));
  }

  // `when: 2026-12-01 10:00` is short for {start: ...}, `where: City Hall` for {venue: ...}:
  // written out in full before the form shows its parts (the same data for pressroom).
  const shortForms = new Map(); // path -> the one key its short form stands for

  function shortForm(path, key) {
    const value = getPath(path);
    if (typeof value === "string") {
      const holder = getPath(path.slice(0, -1));
      holder[path[path.length - 1]] = { [key]: value };
      shortForms.set(path.join("."), key);
    }
    return null;
  }

  function shortened(data) {
    for (const [dotted, key] of shortForms) {
      const path = dotted.split(".");
      let holder = data;
      for (const part of path.slice(0, -1)) holder = holder && holder[part];
      const value = holder && holder[path[path.length - 1]];
      if (value && typeof value === "object" && Object.keys(value).length === 1 && typeof value[key] === "string") {
        holder[path[path.length - 1]] = value[key];
      }
    }
    return data;
  }

  function eventPart() {
    return section("The event (media advisory)", "event",
      text(["event", "title"], "Short title", { hint: "For the calendar invitation; empty: the headline." }),
      text(["event", "what"], "What", { multiline: true, rows: 2, markdown: true }),
      el("div", { class: "row" },
        shortForm(["event", "when"], "start"),
        text(["event", "when", "start"], "Starts", { hint: "YYYY-MM-DD HH:MM (and a zone, if not the room's)" }),
        text(["event", "when", "end"], "Ends", { hint: "YYYY-MM-DD HH:MM" })),
      el("div", { class: "row" },
        shortForm(["event", "where"], "venue"),
        text(["event", "where", "venue"], "Venue"),
        text(["event", "where", "address"], "Address")),
      text(["event", "who"], "Who", { multiline: true, rows: 2, markdown: true }),
      text(["event", "why"], "Why", { multiline: true, rows: 2, markdown: true }),
      text(["event", "visuals"], "Visuals", { multiline: true, rows: 2, markdown: true }),
      el("div", { class: "row" },
        typeof getPath(["event", "onsite_contact"]) === "object"
          ? el("p", { class: "hint", text: "Contact on site: someone not in pressroom.yaml (kept as written in the file)." })
          : select(["event", "onsite_contact"], "Contact on site", PEOPLE, { empty: "Nobody named" }),
        text(["event", "rsvp"], "RSVP", { hint: "An email address or a link" })));
  }

  function images() {
    const items = getPath(["images"]) || [];
    return section("Photos", "images",
      items.map((item, index) => {
        const upload = el("input", { type: "file", accept: "image/jpeg,image/png", id: uid("up") });
        upload.addEventListener("change", () => uploadPhoto(upload, ["images", index, "file"]));
        return el("div", { class: "item", "data-key": `images[${index}]` },
          el("div", { class: "row" },
            text(["images", index, "file"], "File", { hint: "A path in the press room, e.g. assets/rally.jpg" }),
            el("div", { class: "field" }, el("label", { for: upload.id, text: "Or upload a JPEG or PNG" }), upload)),
          text(["images", index, "caption"], "Caption"),
          el("div", { class: "row" },
            text(["images", index, "credit"], "Credit", { hint: "e.g. Photo by Jane Doe" }),
            text(["images", index, "alt"], "Alt text", { hint: "What the photo shows, for readers who cannot see it" })),
          itemActions(["images"], index, items.length, "photo"));
      }),
      addButton("Add a photo", ["images"], () => ({ file: "" })));
  }

  async function uploadPhoto(input, path) {
    const file = input.files && input.files[0];
    if (!file) return;
    saveState.textContent = `Uploading ${file.name}…`;
    const response = await fetch("/api/uploads", {
      method: "POST", headers: { "X-Pressroom-Token": token, "X-Filename": file.name }, body: file });
    const answer = await response.json().catch(() => ({}));
    refused(response);
    if (response.status === 201) {
      setPath(path, answer.file);
      render(keyName(path));
      saveState.textContent = `Uploaded as ${answer.file}`;
    } else {
      saveState.textContent = `Not uploaded: ${answer.error || response.status}`;
    }
  }

  function closing() {
    const boilerplate = getPath(["boilerplate"]);
    const leaveOut = el("input", { type: "checkbox", id: uid("bp") });
    leaveOut.checked = boilerplate === false;
    leaveOut.addEventListener("change", () => {
      setPath(["boilerplate"], leaveOut.checked ? false : undefined);
      render("boilerplate");
    });
    const hashtags = getPath(["hashtags"]);
    return section("After the body", "",
      text(["ps"], "P.S. or call to action", { multiline: true, rows: 2, markdown: true }),
      checkboxes(["contacts"], "Media contacts", PEOPLE, "None ticked: the room's contacts (contacts in pressroom.yaml)."),
      boilerplate === false ? null : text(["boilerplate"], "About (boilerplate)", { multiline: true, rows: 3, markdown: true,
        hint: "Empty: the organisation's, from pressroom.yaml." }),
      el("div", { class: "field field-check" }, leaveOut, el("label", { for: leaveOut.id, text: "Leave the About section out" })),
      field(["hashtags"], "Hashtags", (() => {
        const input = el("input", { type: "text", value: Array.isArray(hashtags) ? hashtags.join(" ") : hashtags || "" });
        input.addEventListener("input", () => {
          const tags = input.value.split(/[\s,]+/).map((t) => t.replace(/^#+/, "")).filter(Boolean);
          setPath(["hashtags"], tags.length ? tags : undefined);
        });
        return input;
      })(), "Separated by spaces, without the #"));
  }

  function distribution() {
    return section("Distribution", "distribution",
      checkboxes(["distribution", "lists"], "Media lists", choices.lists.map((l) => [l, l]),
        "The editor never sends: `pressroom send` does, after check."),
      text(["distribution", "subject"], "Email subject", { hint: "Empty: made from the status and the headline." }),
      checkboxes(["distribution", "attach"], "Attached to the email", choices.attach.map((a) => [a, a]), "None ticked: the PDF."));
  }

  function render(focusKey) {
    const active = focusKey || (document.activeElement && document.activeElement.dataset.focus);
    if (release.body !== undefined && !Array.isArray(release.body)) {
      bodyWasText = typeof release.body === "string";
      release.body = bodyWasText ? [release.body] : [];
    }
    const type = getPath(["type"]) || "press-release";
    form.replaceChildren(...[
      basics(),
      updates(),
      type === "open-letter" || release.addressees || release.salutation || release.signatories || release.closing ? letter() : null,
      body(),
      type === "media-advisory" || release.event ? eventPart() : null,
      closing(),
      images(),
      distribution(),
      el("datalist", { id: "zones" }, choices.zones.map((zone) => el("option", { value: zone }))),
      el("datalist", { id: "update-labels" }, ["UPDATE", "CORRECTION"].map((v) => el("option", { value: v }))),
      el("datalist", { id: "languages" }, ["en", "es", "fr", "de", "it", "pt", "nl", "pl"].map((v) => el("option", { value: v }))),
    ].filter(Boolean));
    if (active) {
      const target = form.querySelector(`[data-focus="${CSS.escape(active)}"]`)
        || form.querySelector(`[data-key="${CSS.escape(active)}"] input, [data-key="${CSS.escape(active)}"] textarea, [data-key="${CSS.escape(active)}"] select, [data-key="${CSS.escape(active)}"] button`);
      if (target) target.focus();
    }
    showFindings(lastFindings);
  }

  // -- findings next to their fields ------------------------------------------------
  let lastFindings = [];

  function showFindings(findings) {
    lastFindings = findings;
    document.querySelectorAll(".field-findings").forEach((list) => list.replaceChildren());
    const general = document.getElementById("general-findings");
    const generalList = general.querySelector("ul");
    generalList.replaceChildren();
    for (const finding of findings) {
      const item = el("li", { class: `finding finding-${finding.severity}` },
        finding.code ? el("code", { class: "code", text: finding.code }) : null, " ",
        el("span", { text: finding.message }), finding.hint ? el("span", { class: "finding-hint", text: ` — ${finding.hint}` }) : null);
      let key = finding.key || "";
      let holder = null;
      while (key && !holder) {
        holder = form.querySelector(`[data-key="${CSS.escape(key)}"]`);
        key = key.replace(/(\[\d+\]|\.[^.[\]]+|^[^.[\]]+)$/, "");
      }
      const list = holder && holder.querySelector(":scope > .field-findings, :scope > * > .field-findings");
      (list || generalList).append(item);
      if (holder) holder.classList.toggle("has-error", finding.severity === "error" || holder.classList.contains("has-error"));
    }
    form.querySelectorAll(".has-error").forEach((node) => {
      if (!node.querySelector(".finding-error")) node.classList.remove("has-error");
    });
    general.hidden = generalList.children.length === 0;
  }

  // -- preview -------------------------------------------------------------------------
  let previewTimer = null;
  let previewSeq = 0;
  const PAUSE = 200; // ms after the last key

  function outgoing() {
    const data = JSON.parse(JSON.stringify(release));
    if (bodyWasText && Array.isArray(data.body) && data.body.length === 1 && typeof data.body[0] === "string") {
      data.body = data.body[0];
    }
    return shortened(data);
  }

  function changed() {
    dirty = true;
    saveButton.disabled = false;
    saveState.textContent = "Unsaved changes";
    clearTimeout(previewTimer);
    previewTimer = setTimeout(preview, PAUSE);
  }

  async function preview() {
    const seq = ++previewSeq;
    previewState.textContent = "Updating the preview…";
    let response;
    try {
      response = await fetch(`/api/preview/${encodeURIComponent(name)}`, {
        method: "POST", headers: headers(),
        body: JSON.stringify({ release: outgoing(), pdf: !document.getElementById("ep-pdf").hidden }) });
    } catch (error) {
      previewState.textContent = "The preview is not reachable: is pressroom serve still running?";
      return;
    }
    const answer = await response.json().catch(() => ({}));
    refused(response);
    if (seq !== previewSeq) return; // a newer preview is on its way
    if (!response.ok) {
      previewState.textContent = answer.error || "No preview.";
      return;
    }
    showFindings(answer.findings || []);
    if (answer.email) {
      document.getElementById("preview-subject").textContent = answer.email.subject;
      document.getElementById("preview-email").srcdoc = answer.email.html;
      document.getElementById("preview-text").textContent = answer.email.text;
      previewState.textContent = "Preview of the unsaved release: " + findingsSummary(answer.findings || []);
    } else {
      previewState.textContent = answer.email_error
        ? "The email cannot be made: " + answer.email_error
        : "No preview: fix the errors marked in the form.";
    }
    if (answer.pdf) {
      document.getElementById("preview-pdf-link").href = answer.pdf;
      const frame = document.getElementById("preview-pdf");
      frame.dataset.src = answer.pdf;
      if (!document.getElementById("ep-pdf").hidden) frame.src = answer.pdf;
    }
  }

  function findingsSummary(findings) {
    const errors = findings.filter((f) => f.severity === "error").length;
    const warnings = findings.length - errors;
    if (!findings.length) return "check finds nothing.";
    return `check finds ${errors} error${errors === 1 ? "" : "s"} and ${warnings} warning${warnings === 1 ? "" : "s"}.`;
  }

  document.querySelectorAll("[data-etab]").forEach((tab, index, tabs) => {
    const show = () => {
      tabs.forEach((other) => {
        const on = other === tab;
        other.setAttribute("aria-selected", String(on));
        other.tabIndex = on ? 0 : -1;
        document.getElementById(other.getAttribute("aria-controls")).hidden = !on;
      });
      if (tab.dataset.etab === "pdf" && release) preview(); // the PDF is made only when looked at
    };
    tab.addEventListener("click", show);
    tab.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = tabs[(index + step + tabs.length) % tabs.length];
      next.focus();
      next.click();
    });
  });

  // -- load and save ---------------------------------------------------------------------
  async function load() {
    const response = await fetch(`/api/releases/${encodeURIComponent(name)}`, { headers: { Accept: "application/json" } });
    const answer = await response.json();
    if (!answer.release) {
      form.replaceChildren(el("p", { class: "callout callout-error", text: answer.error || "This release cannot be read." }));
      showFindings(answer.findings || []);
      saveState.textContent = "Not editable here";
      return;
    }
    release = answer.release;
    version = answer.version;
    shortForms.clear();
    diskChanged.hidden = true;
    bodyWasText = typeof release.body === "string";
    dirty = false;
    lastFindings = answer.findings || [];
    render();
    saveButton.disabled = true;
    saveState.textContent = "Saved";
    preview();
  }

  async function save(base) {
    saving = true;
    try {
      await saveNow(base);
    } finally {
      saving = false;
    }
  }

  async function saveNow(base) {
    clearTimeout(previewTimer);
    saveButton.disabled = true;
    saveState.textContent = "Saving…";
    const response = await fetch(`/api/releases/${encodeURIComponent(name)}`, {
      method: "PUT", headers: headers(), body: JSON.stringify({ version: base || version, release: outgoing() }) });
    const answer = await response.json().catch(() => ({}));
    refused(response);
    const conflict = document.getElementById("conflict");
    if (response.ok) {
      version = answer.version;
      dirty = false;
      conflict.hidden = true;
      diskChanged.hidden = true;
      showFindings(answer.findings || []);
      saveState.textContent = `Saved at ${new Date().toLocaleTimeString()}`;
      return;
    }
    saveButton.disabled = false;
    if (response.status === 409) {
      document.getElementById("conflict-diff").textContent = answer.difference || answer.error;
      conflict.dataset.version = answer.version || "";
      conflict.hidden = false;
      diskChanged.hidden = true;
      conflict.focus();
      saveState.textContent = "Not saved: the file changed on disk";
    } else if (response.status === 422 && answer.findings) {
      showFindings(answer.findings);
      saveState.textContent = "Not saved: " + findingsSummary(answer.findings).replace("check finds", "fix");
    } else {
      saveState.textContent = "Not saved: " + (answer.error || response.status);
    }
  }

  // -- the file saved elsewhere meanwhile ---------------------------------------------------
  let saving = false;
  const diskChanged = document.getElementById("disk-changed");
  if (window.EventSource) {
    const source = new EventSource("/events");
    source.addEventListener("change", async (event) => {
      const paths = JSON.parse(event.data).paths || [];
      if (!paths.includes(`releases/${name}.yaml`) && !paths.includes(`releases/${name}.yml`)) return;
      if (saving || !release) return;
      const response = await fetch(`/api/releases/${encodeURIComponent(name)}`);
      const answer = await response.json().catch(() => ({}));
      if (saving || !answer.version || answer.version === version) return;
      if (dirty) diskChanged.hidden = false;
      else load(); // nothing of mine to lose: show the file as it now is
    });
  }
  document.getElementById("disk-reload").addEventListener("click", () => load());

  saveButton.addEventListener("click", () => save());
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      if (release) save();
    }
  });
  document.getElementById("conflict-overwrite").addEventListener("click", () => {
    const conflict = document.getElementById("conflict");
    save(conflict.dataset.version);
  });
  document.getElementById("conflict-reload").addEventListener("click", () => {
    document.getElementById("conflict").hidden = true;
    load();
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) event.preventDefault();
  });

  load();
})();
