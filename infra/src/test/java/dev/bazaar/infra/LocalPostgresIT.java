package dev.bazaar.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the local PostgreSQL of scripts/bazaar on a temporary BAZAAR_HOME and a free port. */
class LocalPostgresIT {

    @TempDir
    Path home;

    @Test
    void eachRoleReachesOnlyItsOwnDatabaseAndDataSurvivesARestart() throws Exception {
        int port = freePort();

        try (LocalPostgres pg = LocalPostgres.start(home, port)) {
            try (Connection c = connect(port, "user_service", "user_service", pw("user_service"));
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v text)");
                s.execute("INSERT INTO kept VALUES ('survives')");
            }
            assertThatThrownBy(() -> connect(port, "product_service", "user_service", pw("user_service")).close())
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            assertThatThrownBy(() -> connect(port, "postgres", "user_service", pw("user_service")).close())
                    .isInstanceOf(SQLException.class);
            // TCP needs the password
            assertThatThrownBy(() -> connect(port, "user_service", "user_service", "wrong").close())
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
            try (Connection c = connect(port, "product_service", "product_service", pw("product_service"))) {
                assertThat(c.isValid(2)).isTrue();
            }
        }

        Path pw = home.resolve("pg/superuser-password");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pw))).isEqualTo("rw-------");

        try (LocalPostgres pg = LocalPostgres.start(home, port);
             Connection c = connect(port, "user_service", "user_service", pw("user_service"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("survives");
            try (Connection su = connect(port, "postgres", LocalPostgres.SUPERUSER, pg.superuserPassword())) {
                assertThat(su.isValid(2)).isTrue();
            }
        }
    }

    private static Connection connect(int port, String db, String user, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + db, user, password);
    }

    private static String pw(String role) {
        return ServiceDatabases.password(role);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
