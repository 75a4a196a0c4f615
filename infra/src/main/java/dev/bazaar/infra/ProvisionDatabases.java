package dev.bazaar.infra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Creates (idempotently) one database and one LOGIN role per service, the role owning its
 * database, and revokes PUBLIC's rights on each database so that a role can connect only to its
 * own. As a main it works against an existing server given by BAZAAR_PG_HOST, BAZAAR_PG_PORT,
 * BAZAAR_PG_USER (default postgres) and BAZAAR_PG_PASSWORD; the user needs to be a superuser (or
 * have CREATEROLE and CREATEDB and be able to SET ROLE to the roles it creates).
 */
public final class ProvisionDatabases {

    private ProvisionDatabases() {
    }

    public static void main(String[] args) throws Exception {
        String host = Env.get("BAZAAR_PG_HOST", "127.0.0.1");
        int port = Env.port("BAZAAR_PG_PORT", 15432);
        String user = Env.get("BAZAAR_PG_USER", "postgres");
        String password = System.getenv("BAZAAR_PG_PASSWORD");
        try (Connection c = connect(host, port, "postgres", user, password)) {
            provision(c, false);
        } catch (SQLException e) {
            System.err.println("provisioning " + host + ":" + port + " as " + user + " failed: " + e.getMessage());
            System.exit(1);
        }
        System.out.println("BAZAAR-READY provisioned " + host + ":" + port);
    }

    static Connection connect(String host, int port, String db, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", "10");
        p.setProperty("ApplicationName", "bazaar-provision");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + db, p);
    }

    /**
     * Provisions every database of {@link ServiceDatabases#NAMES} through {@code c}, which must be
     * connected to the server's {@code postgres} database. Passwords are (re)set on every run so that
     * a changed BAZAAR_DB_PASSWORD_* takes effect.
     *
     * @param lockDownDefaultDb also revoke CONNECT on the {@code postgres} and {@code template1} databases from PUBLIC
     *                          (only for our own local server; a shared server's other users may need it)
     */
    public static void provision(Connection c, boolean lockDownDefaultDb) throws SQLException {
        c.setAutoCommit(true); // CREATE DATABASE cannot run inside a transaction
        for (String name : ServiceDatabases.NAMES) {
            String role = ident(name);
            boolean roleExists = exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", name);
            exec(c, (roleExists ? "ALTER ROLE " : "CREATE ROLE ") + role
                    + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD "
                    + literal(ServiceDatabases.password(name)));
            if (exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", name)) {
                exec(c, "ALTER DATABASE " + role + " OWNER TO " + role);
            } else {
                exec(c, "CREATE DATABASE " + role + " OWNER " + role + " ENCODING 'UTF8'");
            }
            exec(c, "REVOKE ALL ON DATABASE " + role + " FROM PUBLIC");
            exec(c, "GRANT CONNECT, TEMPORARY ON DATABASE " + role + " TO " + role);
        }
        // c is on the "postgres" database: no one but superusers creates objects there.
        exec(c, "REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        if (lockDownDefaultDb) {
            exec(c, "REVOKE CONNECT, TEMPORARY ON DATABASE postgres FROM PUBLIC");
            exec(c, "REVOKE CONNECT, TEMPORARY ON DATABASE template1 FROM PUBLIC");
        }
    }

    private static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** An escape-string literal, whatever standard_conforming_strings says (DDL takes no bind parameters). */
    static String literal(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("NUL in password");
        }
        return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
