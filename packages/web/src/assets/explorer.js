// Starts GraphiQL against this node's own API (the page's data-endpoint).
/* global document, React, ReactDOM, GraphiQL */
const container = document.getElementById("graphiql");
const fetcher = GraphiQL.createFetcher({ url: container.dataset.endpoint });
ReactDOM.createRoot(container).render(React.createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true }));
