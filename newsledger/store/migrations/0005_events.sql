-- 0005_events: PLOVER events (issue 4). One row per coded mention in
-- `events` (written with its article, in the article's transaction), its
-- actors and recipients in `event_actors`, and the folded events (the same
-- event reported by several articles is one row, like GDELT's Events table)
-- in `event_groups`, recomputed by newsledger.events.fold after each ingest.
-- Rules in docs/events.md, "Storage, folding, CLI and export".

CREATE TABLE events (
    id              VARCHAR PRIMARY KEY,      -- hash of article_id + idx
    article_id      VARCHAR NOT NULL,
    idx             INTEGER NOT NULL,         -- index in Record.events
    type            VARCHAR NOT NULL,         -- one of the 16 PLOVER types
    modes           VARCHAR[],                -- PLOVER modes and the auxiliary ones (hypothetical, future, negation, historical)
    contexts        VARCHAR[],
    quad            INTEGER,                  -- 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    score           DOUBLE,                   -- PLOVER conflict-cooperation score, -10..+10
    trigger_start   INTEGER,
    trigger_end     INTEGER,
    trigger_text    VARCHAR,
    sentence_start  INTEGER NOT NULL,
    sentence_end    INTEGER NOT NULL,
    quote_id        VARCHAR,                  -- quotes.id of the quote it was stated in (a speaker's claim), else NULL
    confidence      DOUBLE,
    date            VARCHAR,                  -- the event's own date as the text states it (ISO 8601, as precise as stated), else NULL
    coder           VARCHAR,                  -- coder and codebook version
    group_id        VARCHAR,                  -- event_groups.id, set by the folding pass (NULL until it runs)
    run_id          INTEGER NOT NULL
);

CREATE TABLE event_actors (
    event_id        VARCHAR NOT NULL,
    role            VARCHAR NOT NULL,         -- actor | recipient
    idx             INTEGER NOT NULL,         -- index in Event.actor / Event.recipient
    name            VARCHAR NOT NULL,
    code            VARCHAR,                  -- ISO 3166 alpha-3, or IGO / NGO / ...; NULL when unknown
    sector          VARCHAR,                  -- GOV, MIL, ...; NULL when unknown
    mention_start   INTEGER NOT NULL,
    mention_end     INTEGER NOT NULL,
    mention_text    VARCHAR,
    entity_id       VARCHAR,                  -- entities.id, when the actor is one of the article's entities
    PRIMARY KEY (event_id, role, idx)
);

-- The folded events: one row per connected component of same_event over the
-- stored mentions. Every column is computed from the member rows.
CREATE TABLE event_groups (
    id               VARCHAR PRIMARY KEY,     -- hash of the first member's id (first: earliest article date, then ids)
    type             VARCHAR NOT NULL,
    modes            VARCHAR[],               -- union of the members' modes, first member's first
    contexts         VARCHAR[],               -- union of the members' contexts
    quad             INTEGER,
    score            DOUBLE,                  -- the first member's score
    actor_codes      VARCHAR[],               -- sorted distinct codes of the members' actors
    actor_names      VARCHAR[],
    recipient_codes  VARCHAR[],
    recipient_names  VARCHAR[],
    date             VARCHAR,                 -- the date folded on: the event's own date, else the first article's date
    date_stated      BOOLEAN NOT NULL,        -- true when date is the event's own date from the text
    place            VARCHAR,                 -- not coded yet: always NULL, never guessed
    hypothetical     BOOLEAN NOT NULL,
    negated          BOOLEAN NOT NULL,
    n_mentions       INTEGER NOT NULL,        -- event rows in the group
    n_articles       INTEGER NOT NULL,        -- distinct articles among them
    n_sources        INTEGER NOT NULL,        -- distinct outlets (else source keys) of those articles
    n_in_quotes      INTEGER NOT NULL,        -- mentions stated inside a quote (a speaker's claim)
    first_event      VARCHAR NOT NULL,        -- events.id of the first member
    first_article    VARCHAR NOT NULL,        -- its article
    confidence       DOUBLE                   -- the highest member confidence
);
