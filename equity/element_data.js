// An element's data as Python sent it: UTF-8 JSON bytes (equity/ui/elements.py, as compact
// JSON without the spaces Streamlit's encoding of a dict puts after every comma), or an object.
// Published ahead of the chart element's and the table element's code, which both call it.
function decoded(data) {
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return JSON.parse(new TextDecoder().decode(data));
  return data;
}
