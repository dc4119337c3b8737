using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Observatoire.Data.Migrations
{
    /// <inheritdoc />
    public partial class GridChangeFeed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ChangeId",
                table: "GridRevisions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // Revisions stored before the feed existed are committed: each takes its own id as its change id.
            migrationBuilder.Sql("UPDATE \"GridRevisions\" SET \"ChangeId\" = \"Id\";");

            migrationBuilder.CreateIndex(
                name: "IX_GridRevisions_ChangeId",
                table: "GridRevisions",
                column: "ChangeId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_GridRevisions_ChangeId",
                table: "GridRevisions");

            migrationBuilder.DropColumn(
                name: "ChangeId",
                table: "GridRevisions");
        }
    }
}
