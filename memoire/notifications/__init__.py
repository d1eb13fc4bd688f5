"""News for people about their own stories, sent by e-mail through the job queue."""
