-- A migration of the service after the messaging tables moved: it still runs.
CREATE TABLE things (id bigint PRIMARY KEY);
