CREATE TABLE notifications (
  id         uuid        PRIMARY KEY,
  user_id    uuid        NOT NULL,
  order_id   uuid,
  kind       text        NOT NULL,
  text       text        NOT NULL,
  read       boolean     NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT notifications_kind_length CHECK (char_length(kind) BETWEEN 1 AND 64),
  CONSTRAINT notifications_text_length CHECK (char_length(text) BETWEEN 1 AND 1000)
);

-- A user's notifications, newest first; id breaks ties so that pages never overlap or skip.
CREATE INDEX notifications_user_created ON notifications (user_id, created_at DESC, id DESC);
