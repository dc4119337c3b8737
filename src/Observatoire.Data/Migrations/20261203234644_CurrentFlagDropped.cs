using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Observatoire.Data.Migrations
{
    /// <summary>
    /// Drops the flag of the current revision and its filtered unique index: the current revision is the highest
    /// number of its grid, read through the unique index on (post, period, revision). A correction then writes its own
    /// row and nothing else (the flag's update of the old row and its index cost about a quarter of a batch's writes).
    /// Down flags the highest revisions again.
    /// </summary>
    public partial class CurrentFlagDropped : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_GridRevisions_PostId_Period_Current",
                table: "GridRevisions");

            // SQLite drops the column in place: EF Core's DropColumn would rebuild the table from the model, which leaves
            // out the department's constraint (see DepartmentIndexDropped).
            migrationBuilder.Sql("ALTER TABLE \"GridRevisions\" DROP COLUMN \"IsCurrent\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "IsCurrent",
                table: "GridRevisions",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.Sql(
                """
                UPDATE "GridRevisions" AS g SET "IsCurrent" = 1
                WHERE NOT EXISTS (SELECT 1 FROM "GridRevisions" AS l WHERE l."PostId" = g."PostId" AND l."Period" = g."Period" AND l."Revision" > g."Revision");
                """);

            migrationBuilder.CreateIndex(
                name: "IX_GridRevisions_PostId_Period_Current",
                table: "GridRevisions",
                columns: new[] { "PostId", "Period" },
                unique: true,
                filter: "\"IsCurrent\" = 1");
        }
    }
}
