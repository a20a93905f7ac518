// Draws one table for the table element of equity/ui/elements.py (Streamlit components v2).
//
// Why not st.dataframe: its grid is drawn on a canvas by 1.2 MB of JavaScript that a first
// visit to a theme page loaded and ran while the ward map was starting (about 0.25 s of the
// first map, bench/bench_first_map.py). This is a real <table>: a screen reader reads it as
// one, with column headers, a caption and the sort order, and it needs no more code.
//
// data (from Python, as UTF-8 JSON bytes): {table: {rows, columns: [{name, numeric, text, value}]} (see
//                      equity.views.table_payload; a column with values sorts by them;
//                      a column may come as {levels, codes} instead of text),
//                      label: accessible name,
//                      height: greatest height in px before the table scrolls, or null}
// Column headings are buttons that sort by that column, ascending then descending, with
// missing values last either way. The sort survives reruns that keep the column.

const NO_DATA = "no data";
const collator = new Intl.Collator("en-GB", { numeric: true, sensitivity: "base" });

// A repetitive text column comes as its distinct cells and a code per row (Python's
// views.compact_payload); it is drawn from its text like any other.
// A numeric column written plainly comes as its values and their decimal places.
// A column of one text all the way down comes as that text and the code 0.
function withText(column, rows) {
  if (column.levels) {
    const codes = Array.isArray(column.codes) ? column.codes : new Array(rows).fill(column.codes);
    return { ...column, text: codes.map((code) => column.levels[code]) };
  }
  if (column.places === undefined) return column;
  const format = new Intl.NumberFormat("en-GB", { minimumFractionDigits: column.places, maximumFractionDigits: column.places });
  return { ...column, text: column.value.map((value) => (value === null ? "" : format.format(value))) };
}

function key(column, row) {
  const value = column.value ? column.value[row] : column.text[row];
  return value === null || value === "" ? null : value;
}

function sortedRows(table, sort) {
  const rows = Array.from({ length: table.rows }, (_, i) => i);
  const column = sort && table.columns.find((c) => c.name === sort.name);
  if (!column) return rows;
  const sign = sort.direction === "descending" ? -1 : 1;
  return rows.sort((a, b) => {
    const x = key(column, a);
    const y = key(column, b);
    if (x === null || y === null) return x === y ? a - b : x === null ? 1 : -1;
    const order = column.value ? x - y : collator.compare(x, y);
    return order === 0 ? a - b : sign * order;
  });
}

// Cells stay on one line, as in a spreadsheet, and a wide table scrolls sideways; only
// columns of long text (definitions, caveats) wrap.
const WRAP_AFTER = 40;
const LONG_HEADING = 24;

function columnClass(column) {
  if (column.value) return "equity-num";
  return column.text.some((text) => text.length > WRAP_AFTER) ? "equity-wrap" : "";
}

function cell(column, row) {
  const td = document.createElement("td");
  if (column.className) td.className = column.className;
  if (column.value && column.value[row] === null && column.text[row]) {
    td.classList.add("equity-nodata");
    td.textContent = column.text[row]; // "no data for this authority" says more than a dash
  } else if (column.value && column.value[row] === null) {
    td.classList.add("equity-nodata");
    const dash = document.createElement("span");
    dash.setAttribute("aria-hidden", "true");
    dash.textContent = "–";
    const words = document.createElement("span");
    words.className = "equity-sr";
    words.textContent = NO_DATA;
    td.append(dash, words);
  } else {
    td.textContent = column.text[row];
  }
  return td;
}

function fillBody(tbody, table, sort) {
  const rows = document.createDocumentFragment();
  for (const row of sortedRows(table, sort)) {
    const tr = document.createElement("tr");
    for (const column of table.columns) tr.appendChild(cell(column, row));
    rows.appendChild(tr);
  }
  tbody.replaceChildren(rows);
}

function markSorted(thead, sort) {
  for (const th of thead.querySelectorAll("th")) {
    const sorted = sort && th.dataset.name === sort.name;
    if (sorted) th.setAttribute("aria-sort", sort.direction);
    else th.removeAttribute("aria-sort");
    th.querySelector(".equity-sort").textContent = sorted ? (sort.direction === "ascending" ? "▲" : "▼") : "";
  }
}

function draw(box) {
  const { table, label } = box.__equityData;
  for (const column of table.columns) column.className = columnClass(column);
  if (box.__equitySort && !table.columns.some((c) => c.name === box.__equitySort.name)) {
    box.__equitySort = null;
  }
  const element = document.createElement("table");
  const caption = document.createElement("caption");
  caption.className = "equity-sr";
  caption.textContent = label;
  const thead = document.createElement("thead");
  const head = document.createElement("tr");
  const tbody = document.createElement("tbody");
  for (const column of table.columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.dataset.name = column.name;
    if (column.className) th.className = column.className;
    if (column.name.length > LONG_HEADING) th.classList.add("equity-longhead");
    const button = document.createElement("button");
    button.type = "button";
    button.title = `Sort by ${column.name}`;
    const name = document.createElement("span");
    name.textContent = column.name;
    const arrow = document.createElement("span");
    arrow.className = "equity-sort";
    arrow.setAttribute("aria-hidden", "true");
    button.append(name, arrow);
    button.addEventListener("click", () => {
      const current = box.__equitySort;
      const direction = current && current.name === column.name && current.direction === "ascending"
        ? "descending" : "ascending";
      box.__equitySort = { name: column.name, direction };
      markSorted(thead, box.__equitySort);
      fillBody(tbody, box.__equityData.table, box.__equitySort);
    });
    th.appendChild(button);
    head.appendChild(th);
  }
  thead.appendChild(head);
  markSorted(thead, box.__equitySort);
  fillBody(tbody, table, box.__equitySort);
  element.append(caption, thead, tbody);
  box.replaceChildren(element);
}

// The style rules come with this file, prepended as EQUITY_TABLE_CSS (equity/ui/elements.py),
// and go in the page's head once.
function addStyles() {
  if (document.getElementById("equity-table-css")) return;
  const style = document.createElement("style");
  style.id = "equity-table-css";
  style.textContent = EQUITY_TABLE_CSS;
  document.head.appendChild(style);
}

export default function (component) {
  addStyles();
  const { parentElement } = component;
  const data = decoded(component.data); // equity/element_data.js
  let box = parentElement.querySelector(":scope > .equity-table");
  if (!box) {
    box = document.createElement("div");
    box.className = "equity-table";
    // A region that may scroll: keyboard users must be able to reach and scroll it.
    box.setAttribute("role", "region");
    box.tabIndex = 0;
    parentElement.appendChild(box);
  }
  box.setAttribute("aria-label", data.label);
  box.style.maxHeight = data.height ? `${data.height}px` : "";
  box.__equityData = { ...data, table: { ...data.table, columns: data.table.columns.map((c) => withText(c, data.table.rows)) } };
  // On a page with a map, tables are drawn once it has rendered (equity/plotly_chart.js),
  // so that they do not take the main thread while it draws; they are below it.
  const firstMap = !box.firstChild && window.__equityFirstMap;
  if (firstMap) firstMap.then(() => draw(box), () => draw(box));
  else draw(box);
  return undefined;
}
