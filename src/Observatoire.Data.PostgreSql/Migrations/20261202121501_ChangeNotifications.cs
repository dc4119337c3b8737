using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Observatoire.Data.PostgreSql.Migrations
{
    /// <summary>
    /// Every transaction that writes grid revisions or bumps the registry's version notifies the channel
    /// <c>observatoire_changes</c> at its commit (PostgreSQL delivers one notification per transaction and payload),
    /// so that the other instances listening catch up at once instead of at their next call.
    /// </summary>
    public partial class ChangeNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                """
                CREATE FUNCTION observatoire_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('observatoire_changes', TG_TABLE_NAME);
                    RETURN NULL;
                END
                $$;
                """);
            migrationBuilder.Sql(
                """
                CREATE TRIGGER "GridRevisions_Notify" AFTER INSERT OR UPDATE ON "GridRevisions"
                    FOR EACH STATEMENT EXECUTE FUNCTION observatoire_notify_change();
                """);
            migrationBuilder.Sql(
                """
                CREATE TRIGGER "RegistryVersion_Notify" AFTER INSERT OR UPDATE ON "RegistryVersion"
                    FOR EACH STATEMENT EXECUTE FUNCTION observatoire_notify_change();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "RegistryVersion_Notify" ON "RegistryVersion";""");
            migrationBuilder.Sql("""DROP TRIGGER "GridRevisions_Notify" ON "GridRevisions";""");
            migrationBuilder.Sql("DROP FUNCTION observatoire_notify_change();");
        }
    }
}
