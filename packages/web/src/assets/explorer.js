// Starts GraphiQL against this node's own API (the page's data-endpoint).
/* global document, MutationObserver, React, ReactDOM, GraphiQL */
const container = document.getElementById("graphiql");
const fetcher = GraphiQL.createFetcher({ url: container.dataset.endpoint });

// GraphiQL's CodeMirror editors leave their input textarea unnamed and their scroll area out of
// the tab order; we name both after the editor they belong to, whenever GraphiQL (re)renders one.
function editorLabel(editor) {
  if (editor.closest(".graphiql-query-editor")) return container.dataset.labelQuery;
  if (editor.closest(".result-window")) return container.dataset.labelResponse;
  const tool = editor.closest(".graphiql-editor-tool");
  if (!tool) return undefined;
  // The editor tool holds the variables editor first and the headers editor second.
  return tool.firstElementChild?.contains(editor) ? container.dataset.labelVariables : container.dataset.labelHeaders;
}

function labelEditors() {
  for (const editor of container.querySelectorAll(".CodeMirror")) {
    const label = editorLabel(editor);
    if (!label) continue;
    const input = editor.querySelector("textarea");
    if (input && input.getAttribute("aria-label") !== label) input.setAttribute("aria-label", label);
    const scroller = editor.querySelector(".CodeMirror-scroll");
    if (scroller && scroller.getAttribute("tabindex") !== "0") {
      scroller.setAttribute("tabindex", "0");
      scroller.setAttribute("role", "group");
      scroller.setAttribute("aria-label", label);
    }
  }
}

new MutationObserver(labelEditors).observe(container, { childList: true, subtree: true });
ReactDOM.createRoot(container).render(React.createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true }));
