-- 0004_statements: statements (one thing one speaker said, with every source),
-- their full-text index and, with the semantic extra, their embeddings.
-- Filled by newsledger.search.update after each ingest; rule in docs/search.md.

CREATE TABLE statements (
    id                  VARCHAR PRIMARY KEY,  -- hash of speaker_key + normalised canonical content
    speaker_key         VARCHAR NOT NULL,     -- speaker:<speakers.id> | name:<normalised name> | unknown
    speaker_id          VARCHAR,              -- speakers.id when identity resolution gave one
    speaker_name        VARCHAR,              -- display name; NULL when unknown
    canonical_quote_id  VARCHAR NOT NULL,     -- the longest member: its text stands for the statement
    kind                VARCHAR NOT NULL,     -- the canonical member's kind
    content_text        VARCHAR,
    n_quotes            INTEGER NOT NULL,     -- rows in statement_sources
    n_articles          INTEGER NOT NULL,     -- distinct articles among them
    first_date          VARCHAR,              -- earliest / latest article date given
    last_date           VARCHAR,
    n_terms             INTEGER NOT NULL,     -- full-text document length (BM25)
    embed_hash          VARCHAR NOT NULL,     -- hash of the embedded text: statement_embeddings key
    signature           VARCHAR NOT NULL      -- hash of everything above + members: unchanged means no rewrite
);

-- Every quote row is the source of exactly one statement.
CREATE TABLE statement_sources (
    quote_id      VARCHAR PRIMARY KEY,
    statement_id  VARCHAR NOT NULL,
    article_id    VARCHAR NOT NULL,
    speaker_key   VARCHAR NOT NULL,           -- the key it was grouped under; a change regroups
    content_hash  VARCHAR NOT NULL,           -- md5 of quotes.content_text when grouped
    match         VARCHAR NOT NULL,           -- canonical | identical | excerpt | near
    similarity    DOUBLE NOT NULL             -- 1, or bigram containment / Jaccard with the canonical
);

-- The inverted index: one row per (term, statement) with the term's count.
CREATE TABLE search_postings (
    term          VARCHAR NOT NULL,
    statement_id  VARCHAR NOT NULL,
    tf            INTEGER NOT NULL
);

-- One vector per distinct embedded text and model (the semantic extra).
CREATE TABLE statement_embeddings (
    text_hash  VARCHAR NOT NULL,
    model      VARCHAR NOT NULL,
    embedding  FLOAT[384] NOT NULL,
    PRIMARY KEY (text_hash, model)
);
