-- 0006_places_times: where and when (issue 5). Every toponym mention of an
-- article in `places` and every time expression in `times`, written with the
-- article in its transaction; each event mention's location (a place of the
-- same article, by its offsets) and date source on `events`; the date a quote
-- was said on `quotes`. Rules in docs/places.md, "Storage, CLI and export".

-- One row per toponym mention. Unresolved mentions keep their span with NULL
-- name, id and coordinates; metonymic ones ("Moscow said") are listed too.
CREATE TABLE places (
    article_id  VARCHAR NOT NULL,
    idx         INTEGER NOT NULL,             -- index in Record.places
    start_char  INTEGER NOT NULL,
    end_char    INTEGER NOT NULL,
    text        VARCHAR,                      -- the mention as written
    name        VARCHAR,                      -- the gazetteer entry it resolved to, else NULL
    geonameid   BIGINT,
    lat         DOUBLE,
    lon         DOUBLE,
    country     VARCHAR,                      -- ISO 3166 alpha-3
    admin1      VARCHAR,                      -- admin1 name ("Kentucky")
    feature     VARCHAR,                      -- GeoNames feature class.code ("P.PPLA", "A.PCLI")
    level       VARCHAR,                      -- country | admin1 | city | point
    metonymic   BOOLEAN NOT NULL,             -- the name stands for an actor: never an event's location
    confidence  DOUBLE,
    run_id      INTEGER NOT NULL,
    PRIMARY KEY (article_id, start_char, end_char)
);

-- One row per time expression, normalised against the publication date.
CREATE TABLE times (
    article_id  VARCHAR NOT NULL,
    idx         INTEGER NOT NULL,             -- index in Record.times
    start_char  INTEGER NOT NULL,
    end_char    INTEGER NOT NULL,
    text        VARCHAR,
    kind        VARCHAR NOT NULL,             -- date | range | duration | set
    value       VARCHAR,                      -- ISO 8601 date, range or duration; NULL when unresolved
    anchor      VARCHAR NOT NULL,             -- publication | absolute | none
    run_id      INTEGER NOT NULL,
    PRIMARY KEY (article_id, start_char, end_char)
);

-- Where an event mention happened (Event.location, PLOVER's event_loc), all
-- NULL when the article does not say. loc_start/loc_end are the place
-- mention's offsets: the places row (article_id, loc_start, loc_end).
ALTER TABLE events ADD COLUMN date_source VARCHAR;        -- text | publication; NULL when neither
ALTER TABLE events ADD COLUMN loc_start INTEGER;
ALTER TABLE events ADD COLUMN loc_end INTEGER;
ALTER TABLE events ADD COLUMN loc_text VARCHAR;           -- extracted_place
ALTER TABLE events ADD COLUMN loc_name VARCHAR;           -- resolved_place
ALTER TABLE events ADD COLUMN loc_geonameid BIGINT;
ALTER TABLE events ADD COLUMN loc_lat DOUBLE;
ALTER TABLE events ADD COLUMN loc_lon DOUBLE;
ALTER TABLE events ADD COLUMN loc_admin1 VARCHAR;         -- province (admin1 name)
ALTER TABLE events ADD COLUMN loc_country VARCHAR;        -- ISO 3166 alpha-3
ALTER TABLE events ADD COLUMN loc_feature_class VARCHAR;
ALTER TABLE events ADD COLUMN loc_feature_code VARCHAR;
ALTER TABLE events ADD COLUMN loc_resolution VARCHAR;     -- country | admin1 | city | point
ALTER TABLE events ADD COLUMN loc_source VARCHAR;         -- clause | sentence | article (weaker)
ALTER TABLE events ADD COLUMN loc_confidence DOUBLE;

-- When a quote was said, if the text says ("In 2017, X said"): ISO 8601.
ALTER TABLE quotes ADD COLUMN said_date VARCHAR;
