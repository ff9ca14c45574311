-- The citizen report rate limit, exact across processes: a report is inserted only while its
-- address has fewer than max_reports in the window. The advisory lock serialises reports of
-- one address until the inserting transaction commits; the count runs in this VOLATILE
-- function, so it takes its snapshot after the lock and sees every report committed before.
CREATE FUNCTION report_slot_free(address_hash text, since timestamptz, max_reports integer) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('leitplanken.report-rate:' || address_hash));
  RETURN (SELECT count(*) FROM moderation_reports r WHERE r.reporter_address_hash = address_hash AND r.created_at > since) < max_reports;
END;
$$;
