const EQUITY_TABLE_CSS = ".equity-table {\n  display: inline-block;\n  vertical-align: top;\n  overflow: auto;\n  max-width: 100%;\n  border: 1px solid var(--st-dataframe-border-color, rgba(49, 51, 63, 0.2));\n  border-radius: var(--st-base-radius, 0.5rem);\n}\n.equity-table:focus-visible {\n  outline: 2px solid var(--st-primary-color, #ff4b4b);\n  outline-offset: 2px;\n}\n.equity-table table {\n  border-collapse: separate;\n  border-spacing: 0;\n  margin: 0;\n  font-family: var(--st-font, inherit);\n  font-size: 0.875rem;\n  line-height: 1.4;\n  color: var(--st-text-color, inherit);\n  font-variant-numeric: tabular-nums;\n}\n.equity-table th,\n.equity-table td {\n  padding: 0.3rem 0.6rem;\n  border: none;\n  border-bottom: 1px solid var(--st-dataframe-border-color, rgba(49, 51, 63, 0.2));\n  text-align: left;\n  vertical-align: top;\n}\n.equity-table td,\n.equity-table th {\n  white-space: nowrap;\n}\n.equity-table th.equity-longhead {\n  white-space: normal;\n  min-width: 8em;\n}\n.equity-table .equity-wrap {\n  white-space: normal;\n  overflow-wrap: anywhere;\n  min-width: 14em;\n  max-width: 30em;\n}\n.equity-table tbody tr:last-child td {\n  border-bottom: none;\n}\n.equity-table thead th {\n  position: sticky;\n  top: 0;\n  z-index: 1;\n  background: var(--st-dataframe-header-background-color, #f0f2f6);\n  color: var(--st-dataframe-header-text-color, inherit);\n  font-weight: 600;\n}\n.equity-table .equity-num {\n  text-align: right;\n  white-space: nowrap;\n}\n.equity-table th button {\n  all: unset;\n  box-sizing: border-box;\n  cursor: pointer;\n  display: flex;\n  width: 100%;\n  min-height: 24px;\n  min-width: 24px;\n  gap: 0.25rem;\n  align-items: center;\n  font: inherit;\n  color: inherit;\n  text-align: inherit;\n}\n.equity-table th.equity-num button {\n  flex-direction: row-reverse;\n  justify-content: flex-start;\n}\n.equity-table th button:focus-visible {\n  outline: 2px solid var(--st-primary-color, #ff4b4b);\n  outline-offset: 1px;\n}\n.equity-table .equity-sort {\n  font-size: 0.7em;\n}\n.equity-sr {\n  position: absolute;\n  width: 1px;\n  height: 1px;\n  overflow: hidden;\n  clip-path: inset(50%);\n  white-space: nowrap;\n}\n";
function decoded(data) {
if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return JSON.parse(new TextDecoder().decode(data));
return data;
}
const NO_DATA = "no data";
const collator = new Intl.Collator("en-GB", { numeric: true, sensitivity: "base" });
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
box.setAttribute("role", "region");
box.tabIndex = 0;
parentElement.appendChild(box);
}
box.setAttribute("aria-label", data.label);
box.style.maxHeight = data.height ? `${data.height}px` : "";
box.__equityData = { ...data, table: { ...data.table, columns: data.table.columns.map((c) => withText(c, data.table.rows)) } };
const firstMap = !box.firstChild && window.__equityFirstMap;
if (firstMap) firstMap.then(() => draw(box), () => draw(box));
else draw(box);
return undefined;
}