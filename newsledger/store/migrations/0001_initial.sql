-- 0001_initial: the ledger's first schema.
-- Every extracted row carries its article id and character offsets into
-- articles.text. Offsets are named *_start / *_end ("end" is an SQL keyword).

CREATE SEQUENCE runs_id_seq START 1;

CREATE TABLE runs (
    id             INTEGER PRIMARY KEY DEFAULT nextval('runs_id_seq'),
    started_at     TIMESTAMP NOT NULL,
    finished_at    TIMESTAMP,
    status         VARCHAR NOT NULL,          -- running | ok | failed | interrupted
    code_version   VARCHAR NOT NULL,          -- newsledger.__version__
    model_name     VARCHAR,
    model_version  VARCHAR,
    settings       JSON,
    inputs         JSON,
    counts         JSON
);

CREATE TABLE articles (
    id               VARCHAR PRIMARY KEY,     -- content hash of the normalised text
    title            VARCHAR,
    date             VARCHAR,                 -- ISO 8601 as given, never guessed
    url              VARCHAR,
    outlet           VARCHAR,
    author           VARCHAR,
    text             VARCHAR NOT NULL,
    tags             VARCHAR[],
    furniture        VARCHAR[],
    language         VARCHAR,
    language_reason  VARCHAR,
    skipped          VARCHAR,                 -- why NLP was not run, else NULL
    run_id           INTEGER NOT NULL,
    ingested_at      TIMESTAMP NOT NULL
);

-- One row per place an article was seen: a syndicated story is one article
-- with several sources. source_key is the url, or the origin when there is none.
CREATE TABLE sources (
    article_id      VARCHAR NOT NULL,
    source_key      VARCHAR NOT NULL,
    origin          VARCHAR,
    url             VARCHAR,
    outlet          VARCHAR,
    title           VARCHAR,
    date            VARCHAR,
    first_seen_run  INTEGER NOT NULL,
    PRIMARY KEY (article_id, source_key)
);

CREATE TABLE entities (
    id          VARCHAR PRIMARY KEY,          -- hash of article_id + idx
    article_id  VARCHAR NOT NULL,
    idx         INTEGER NOT NULL,             -- index in Record.entities
    name        VARCHAR NOT NULL,
    type        VARCHAR NOT NULL,
    code        VARCHAR,
    role        VARCHAR
);

CREATE TABLE mentions (
    entity_id    VARCHAR NOT NULL,
    article_id   VARCHAR NOT NULL,
    idx          INTEGER NOT NULL,            -- index in Entity.mentions
    start_char   INTEGER NOT NULL,
    end_char     INTEGER NOT NULL,
    text         VARCHAR,
    PRIMARY KEY (entity_id, idx)
);

CREATE TABLE quotes (
    id                 VARCHAR PRIMARY KEY,   -- hash of article_id + idx
    article_id         VARCHAR NOT NULL,
    idx                INTEGER NOT NULL,      -- index in Record.quotes
    kind               VARCHAR NOT NULL,      -- direct | mixed | indirect
    content_start      INTEGER NOT NULL,
    content_end        INTEGER NOT NULL,
    content_text       VARCHAR,
    segments           JSON,                  -- [{"start":..,"end":..}, ...]
    cue_start          INTEGER,
    cue_end            INTEGER,
    cue_text           VARCHAR,
    cue_lemma          VARCHAR,
    speaker_name       VARCHAR,
    speaker_entity_id  VARCHAR,               -- entities.id, or NULL
    speaker_start      INTEGER,
    speaker_end        INTEGER,
    speaker_text       VARCHAR,
    run_id             INTEGER NOT NULL
);

CREATE TABLE rejects (
    id      VARCHAR PRIMARY KEY,              -- hash of item + stage + reason
    item    VARCHAR NOT NULL,
    stage   VARCHAR NOT NULL,
    reason  VARCHAR NOT NULL,
    detail  VARCHAR,
    run_id  INTEGER NOT NULL,                 -- the latest run that saw it
    seen_at TIMESTAMP NOT NULL
);
