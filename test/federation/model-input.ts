/** A shared model as an editor registers it through GraphQL (`registerModel(input:)`), for tests that publish one. */
export const modelInput = {
  name: { de: "Verwaltungsassistent" },
  version: "1.0.0",
  licence: "Apache-2.0",
  architecture: "Decoder-only transformer",
  parameterCount: 7_200_000_000,
  languages: ["de"],
  intendedUse: { de: "Antworten auf Fragen." },
  outOfScopeUse: { de: "Entscheidungen." },
  trainingData: { de: "Öffentliche Texte." },
  limitations: { de: "Kann irren." },
  sovereignty: {
    openWeights: true,
    osiOpenSourceAi: "NOT_ASSESSED",
    weightsLocation: "Rechenzentrum",
    hosting: "MUNICIPAL_DATA_CENTRE",
    operatorJurisdiction: "DE",
  },
  maintainers: [{ name: "KI-Team" }],
};
