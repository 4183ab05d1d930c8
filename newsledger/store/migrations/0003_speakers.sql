-- 0003_speakers: one speaker per person (or organisation) across articles.
-- Written by newsledger.identity.update, which recomputes all of them from
-- the entities and quotes tables; see docs/speakers.md for the rules.

CREATE TABLE speakers (
    id            VARCHAR PRIMARY KEY,        -- hash of key
    key           VARCHAR NOT NULL,           -- e.g. person|alexander|lukashenko (folded name parts)
    name          VARCHAR NOT NULL,           -- the name most articles used
    type          VARCHAR NOT NULL,           -- PERSON | ORG | GPE | NORP
    single_name   BOOLEAN NOT NULL,           -- known by one name only (a surname, a mononym) no full name was chosen for
    countries     VARCHAR[],                  -- ISO alpha-3 codes read from the roles
    n_statements  INTEGER NOT NULL,           -- quotes mapped to this speaker
    n_articles    INTEGER NOT NULL,           -- articles with at least one of them
    n_mentioned   INTEGER NOT NULL,           -- articles naming the speaker at all
    first_date    VARCHAR,                    -- earliest and latest dated article quoting them
    last_date     VARCHAR
);

-- Every name and role the articles used for a speaker, with how many articles used it.
CREATE TABLE speaker_aliases (
    speaker_id  VARCHAR NOT NULL,
    alias       VARCHAR NOT NULL,
    n_articles  INTEGER NOT NULL,
    PRIMARY KEY (speaker_id, alias)
);

CREATE TABLE speaker_roles (
    speaker_id  VARCHAR NOT NULL,
    role        VARCHAR NOT NULL,
    n_articles  INTEGER NOT NULL,
    PRIMARY KEY (speaker_id, role)
);

-- Which per-article entities make up a speaker, and why each one joined
-- ("same name", "surname, only candidate", "surname, role matches", ...).
CREATE TABLE speaker_entities (
    entity_id   VARCHAR PRIMARY KEY,
    speaker_id  VARCHAR NOT NULL,
    article_id  VARCHAR NOT NULL,
    how         VARCHAR NOT NULL
);

-- The cross-article speaker of every quote that has one. via: "entity" (the
-- quote's speaker_entity_id) or "mention" (the quote had no speaker entity, but
-- its speaker mention names exactly one person of the same article).
CREATE TABLE quote_speakers (
    quote_id    VARCHAR PRIMARY KEY,
    speaker_id  VARCHAR NOT NULL,
    via         VARCHAR NOT NULL
);

-- Ids that stopped existing (a surname-only speaker resolved to a full name)
-- and the speaker that took their quotes, so old links keep working.
CREATE TABLE speaker_redirects (
    old_id  VARCHAR PRIMARY KEY,
    new_id  VARCHAR NOT NULL,
    since   TIMESTAMP NOT NULL
);
