-- The cities a node knows (GraphQL `knownCities`, db `pageNetworkCities`) page by actor IRI in
-- byte order (`COLLATE "C"`, as `listCities` orders them): each table that names a city gives the
-- next distinct actors along one of these indexes, so a page of 20 cities reads those cities' rows
-- and not the whole network's (10,000 cities, 230,000 records). The own city comes first: the
-- partial indexes find the actors of this node's own records without reading received ones.

CREATE INDEX guideline_versions_city_order ON guideline_versions ((origin_actor COLLATE "C"));
CREATE INDEX use_cases_city_order ON use_cases ((origin_actor COLLATE "C"));
CREATE INDEX shared_models_city_order ON shared_models ((origin_actor COLLATE "C"));
CREATE INDEX adoptions_city_order ON adoptions ((origin_actor COLLATE "C"));
CREATE INDEX federation_following_city_order ON federation_following ((actor_id COLLATE "C")) WHERE state = 'accepted';

CREATE INDEX guideline_versions_own_city ON guideline_versions ((origin_actor COLLATE "C")) WHERE source = 'local';
CREATE INDEX use_cases_own_city ON use_cases ((origin_actor COLLATE "C")) WHERE source = 'local';
CREATE INDEX shared_models_own_city ON shared_models ((origin_actor COLLATE "C")) WHERE source = 'local';
CREATE INDEX adoptions_own_city ON adoptions ((origin_actor COLLATE "C")) WHERE source = 'local';
